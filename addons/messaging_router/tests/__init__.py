from . import test_messaging_delivery
from . import test_messaging_route
from . import test_settings
from . import test_slack_client
from . import test_slack_signature
from . import test_teams_client
