from . import portal
from . import vendor_invoice
from . import compliance
