from .outlet import outlet_router

# The integration API's routers, in the order of the OpenAPI document.
API_ROUTERS = [outlet_router]

# ov14-api-orders
from .sale_order import sale_order_router
from .partner import partner_router

API_ROUTERS += [sale_order_router, partner_router]
