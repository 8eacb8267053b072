"""Reading vendor invoice PDFs into fields and lines: plain Python with no Odoo import.

Odoo code imports it as ``odoo.addons.portal_vendor_ext.tools.invoice_reading``; ``bin/read-invoice`` as the top-level
package ``invoice_reading`` (with ``tools/`` on ``sys.path``), so the package uses relative imports only.
"""

from .errors import ENCRYPTED, IMAGE_ONLY, MALFORMED, NOT_PDF, TOO_LARGE, TOO_MANY_PAGES, InvoiceReadError
from .pdf_reader import MAX_BYTES, MAX_PAGES, read_invoice_pdf
from .reading import FIELDS, InvoiceLine, InvoiceReading
