from . import pve_vendor_invoice_reject
from . import pve_po_change_refuse
