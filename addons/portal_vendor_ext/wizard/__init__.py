from . import pve_vendor_invoice_reject
