from . import test_purchase_order_acknowledge
from . import test_portal_acknowledge
from . import test_acknowledge_concurrency
from . import test_po_matching
from . import test_vendor_invoice
from . import test_portal_vendor_invoice
from . import test_invoice_reading
from . import test_vendor_invoice_e2e
