from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.numbers import number_problem


class PartnerMetricValue(models.Model):
    """A raw value entered by hand or imported, read by the 'manual' provider."""

    _name = "partner.metric.value"
    _description = "Manual Metric Value"
    _order = "period_id desc, partner_id, metric_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        domain=[("is_channel_partner", "=", True)],
    )
    metric_id = fields.Many2one(
        "scorecard.metric", required=True, index=True, domain=[("provider", "=", "manual")]
    )
    period_id = fields.Many2one("scorecard.period", required=True, index=True)
    value = fields.Float(required=True)
    note = fields.Char()
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "value_unique",
            "unique(partner_id, metric_id, period_id)",
            "This partner already has a value for this metric and period.",
        ),
    ]

    @api.constrains("value", "metric_id")
    def _check_value(self):
        for record in self:
            problem = number_problem(record.value, allow_negative=record.metric_id.allow_negative)
            if problem:
                raise ValidationError(
                    self.env._(
                        "Value %(value)s for metric %(metric)s (%(partner)s) %(problem)s: enter "
                        "a finite number between 0 and 1e15, or allow negative values on the "
                        "metric when it can be below zero.",
                        value=record.value,
                        metric=record.metric_id.code,
                        partner=record.partner_id.display_name,
                        problem=problem,
                    )
                )
