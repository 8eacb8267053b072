from .outlet import outlet_router

# The integration API's routers, in the order of the OpenAPI document.
API_ROUTERS = [outlet_router]

# api-payments
from .payment import payment_router

API_ROUTERS.append(payment_router)
from .billing_entity import billing_entity_router

API_ROUTERS.append(billing_entity_router)
