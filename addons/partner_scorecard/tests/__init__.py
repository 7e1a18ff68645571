from . import test_module
from . import test_scorecard_compute
from . import test_cron
from . import test_validation
from . import test_providers
from . import test_deal_registration
from . import test_portal
