from odoo import fields, models

BURN_RATE_FIELDS = ("slo_alert_rule_id", "slo_burn_rate")


class TenantIncident(models.Model):
    """Availability incidents opened (or raised) by the burn-rate alerts on the uptime SLO."""

    _inherit = "tenant.incident"
    # added to the workflow fields (channel.workflow.guard gathers every extension's)
    _workflow_fields = BURN_RATE_FIELDS

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
