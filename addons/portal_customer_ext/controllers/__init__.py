from . import portal
from . import quotation_request
from . import portal_account
