from . import test_messaging_route
