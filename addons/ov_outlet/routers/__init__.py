from .billing_entity import billing_entity_router
from .outlet import outlet_router
from .partner import partner_router
from .payment import payment_router
from .sale_order import sale_order_router
from .usage import usage_router

# The integration API's routers, in the order of the OpenAPI document.
API_ROUTERS = [
    sale_order_router,
    payment_router,
    partner_router,
    billing_entity_router,
    outlet_router,
    usage_router,
]
