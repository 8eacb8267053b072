from . import portal
from . import catalog
from . import saved_cart
