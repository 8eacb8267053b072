from . import test_analytics
from . import test_demo_data
from . import test_ov_outlet
from . import test_sale_order
from . import test_security
from . import test_ui
from . import test_webhook_signature
from . import test_portal_rep_orders
