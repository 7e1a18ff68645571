from . import partner_metric_import
from . import partner_membership_tier_change
