from . import ov_outlet
from . import res_partner
from . import sale_order
from . import account_move
