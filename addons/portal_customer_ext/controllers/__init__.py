from . import portal
from . import quotation_request
