from . import billing_line_change
from . import billing_mdf_claim_reject
