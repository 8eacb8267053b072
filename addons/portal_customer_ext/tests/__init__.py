from . import test_sale_order_reorder
from . import test_portal_reorder
