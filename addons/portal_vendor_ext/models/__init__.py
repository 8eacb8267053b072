from . import purchase_order
from . import res_config_settings
