from . import portal
from . import order_tracking
