from . import ov_outlet
from . import res_partner
from . import sale_order
from . import account_move
from . import ov_outlet_webhook_delivery
from . import product_template
from . import res_config_settings
