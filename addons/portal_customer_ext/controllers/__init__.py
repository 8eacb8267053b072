from . import portal
from . import quotation_request
from . import portal_account
from . import catalog
from . import saved_cart
from . import order_tracking
from . import helpdesk
