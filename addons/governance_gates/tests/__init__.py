from . import test_crm_qualification, test_gate_engine, test_gate_http, test_module
from . import test_lifecycle_providers
from . import test_portal
from . import test_gate_cron
from . import test_gate_tour
from . import test_workflow_guard
from . import test_gate_buttons
from . import test_company_scope
from . import test_workflow_guard_mixin
from . import test_uninstall_cascade
from . import test_implementation_project
from . import test_template_domain
