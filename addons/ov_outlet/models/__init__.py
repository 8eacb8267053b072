from . import ov_outlet
from . import res_partner
from . import sale_order
from . import account_move
from . import fastapi_endpoint
from . import ov_outlet_api_idempotency
from . import res_users
