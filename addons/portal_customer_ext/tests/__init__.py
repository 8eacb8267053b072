from . import test_partner_reads
from . import test_portal_quotations
from . import test_portal_reorder
from . import test_reorder_concurrency
from . import test_sale_order_reorder
from . import test_order_status
from . import test_reorder_tour
from . import test_sale_order_portal_status
