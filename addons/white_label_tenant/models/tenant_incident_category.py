from odoo import fields, models

INCIDENT_CATEGORIES = [
    ("availability", "Availability"),
    ("performance", "Performance"),
    ("security", "Security"),
    ("data", "Data and Backups"),
    ("request", "Service Request"),
    ("other", "Other"),
]


class TenantIncident(models.Model):
    """What kind of incident it is: the scorecard's security incident rate counts the
    ``security`` ones."""

    _inherit = "tenant.incident"

    category = fields.Selection(
        INCIDENT_CATEGORIES,
        default="other",
        required=True,
        index=True,
        tracking=True,
        help="Security: a suspected or confirmed breach, unauthorised access, malware or a "
        "vulnerability exploited; these count in the partner's security incident rate.",
    )
