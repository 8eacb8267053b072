from .outlet import outlet_router
from .usage import usage_router

# The integration API's routers, in the order of the OpenAPI document.
API_ROUTERS = [outlet_router]
API_ROUTERS.append(usage_router)
