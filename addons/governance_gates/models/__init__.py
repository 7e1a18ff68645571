# ruff: noqa: I001  (the mixin must be registered before the models adopting it)
from . import governance_gate_mixin
from . import governance_gate_template
from . import governance_gate_criterion
from . import governance_gate_approval_rule
from . import governance_gate
from . import governance_gate_decision
from . import governance_gate_line
from . import governance_gate_approval
from . import governance_complexity_rule
from . import ir_cron
from . import crm_lead
from . import project_project
from . import project_task
from . import partner_membership
from . import partner_scorecard_provider
from . import governance_gate_demo
