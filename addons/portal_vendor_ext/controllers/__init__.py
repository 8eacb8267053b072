from . import portal
from . import vendor_invoice
from . import vendor_bill
from . import po_change
from . import compliance
from . import shipping_notice
from . import rfq_response
from . import scorecard
