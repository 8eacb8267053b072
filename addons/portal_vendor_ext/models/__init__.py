from . import purchase_order
from . import res_config_settings
from . import pve_vendor_invoice
from . import pve_vendor_invoice_line
from . import pve_vendor_invoice_difference
from . import ai_bridge_task
from . import ai_bridge_decision
from . import pve_po_change
