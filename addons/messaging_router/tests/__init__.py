from . import test_messaging_route
from . import test_settings
