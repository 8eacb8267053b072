from . import messaging_route
from . import messaging_preference
from . import messaging_delivery
from . import res_config_settings
from . import res_partner
from . import res_users
from . import res_company
