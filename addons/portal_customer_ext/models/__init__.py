from . import res_config_settings
from . import sale_order
from . import sale_order_line
from . import product_product
from . import pce_saved_cart
from . import pce_saved_cart_line
