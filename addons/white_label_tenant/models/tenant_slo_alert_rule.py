from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.burn_rate import SEVERITIES, AlertRule, check_rule
from .tenant_sla_target import PRIORITIES


class TenantSloAlertRule(models.Model):
    """A multiwindow burn-rate rule on the uptime SLO (SRE workbook): it fires when the burn
    rate exceeds ``factor`` over both windows, and opens (or raises) an availability incident."""

    _name = "tenant.slo.alert.rule"
    _description = "Burn-Rate Alert Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    severity = fields.Selection(
        [("page", "Page"), ("ticket", "Ticket")],
        required=True,
        default="page",
        help="Page: someone acts now (a critical or high incident). Ticket: handled in business "
        "hours.",
    )
    factor = fields.Float(
        string="Burn Rate Above",
        required=True,
        digits=(16, 2),
        help="1.0 spends exactly the error budget over the SLO period; 14.4 spends 2 % of a "
        "30-day budget in an hour.",
    )
    long_window_minutes = fields.Integer(string="Long Window (min)", required=True)
    short_window_minutes = fields.Integer(
        string="Short Window (min)",
        required=True,
        help="Usually a twelfth of the long window: the alert stops soon after the errors do.",
    )
    incident_priority = fields.Selection(
        PRIORITIES, required=True, default="2", help="Priority of the incident the rule opens."
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply the rule to every company."
    )

    @api.constrains("severity", "factor", "long_window_minutes", "short_window_minutes")
    def _check_rule(self):
        for rule in self:
            try:
                check_rule(rule._core_rule())
            except ValueError as exc:
                raise ValidationError(
                    self.env._(
                        "%(rule)s: Burn Rate Above must be positive and the Short Window "
                        "(min) positive and shorter than the Long Window (min) (e.g. 14.4 over "
                        "60 and 5 minutes). %(reason)s",
                        rule=rule.display_name,
                        reason=str(exc),
                    )
                ) from exc

    def _core_rule(self):
        self.ensure_one()
        return AlertRule(
            self.id,
            self.severity,
            self.factor,
            self.long_window_minutes,
            self.short_window_minutes,
        )

    def _urgency(self):
        """Sort key: pages before tickets, then the faster burn."""
        self.ensure_one()
        return (SEVERITIES.index(self.severity), -self.factor)
