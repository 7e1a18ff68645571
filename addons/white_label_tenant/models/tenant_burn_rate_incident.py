from odoo import fields, models

from .tenant_escalation_incident import check_engine_fields

BURN_RATE_FIELDS = ("slo_alert_rule_id", "slo_burn_rate")


class TenantIncident(models.Model):
    """Availability incidents opened (or raised) by the burn-rate alerts on the uptime SLO."""

    _inherit = "tenant.incident"

    source = fields.Selection(
        selection_add=[("burn_rate", "Burn-Rate Alert")], ondelete={"burn_rate": "set default"}
    )
    slo_alert_rule_id = fields.Many2one(
        "tenant.slo.alert.rule",
        string="Burn-Rate Alert",
        readonly=True,
        copy=False,
        index=True,
        help="The most urgent burn-rate rule that fired on this incident's environment.",
    )
    slo_burn_rate = fields.Float(
        string="Burn Rate",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="The burn rate over the rule's long window when it fired.",
    )

    def _workflow_check_vals(self, vals, creating=False):
        result = super()._workflow_check_vals(vals, creating=creating)
        check_engine_fields(self, vals, BURN_RATE_FIELDS)
        return result
