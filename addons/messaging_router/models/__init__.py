from . import messaging_route
from . import res_config_settings
