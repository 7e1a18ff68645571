from . import partner_metric_import
from . import partner_membership_tier_change
from . import crm_lead_registration_reject
from . import crm_lead_registration_conflict
