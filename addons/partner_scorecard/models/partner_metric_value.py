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
        "scorecard.metric",
        required=True,
        index=True,
        ondelete="cascade",  # the metric's module uninstalled; users are stopped by its guard
        domain=[("provider", "=", "manual")],
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

    @api.model_create_multi
    def create(self, vals_list):
        values = super().create(vals_list)
        values._mark_scorecards_for_recompute()
        return values

    def write(self, vals):
        self._mark_scorecards_for_recompute()  # the partners and periods before the change
        result = super().write(vals)
        self._mark_scorecards_for_recompute()
        return result

    def unlink(self):
        self._mark_scorecards_for_recompute()
        return super().unlink()

    def _mark_scorecards_for_recompute(self):
        """A value entered today shows on the partner's open scorecard after the next cron run,
        not tomorrow (the cron skips the scorecards it computed earlier the same day)."""
        if self:
            self.env["partner.scorecard"]._mark_for_recompute(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("period_id", "in", self.period_id.ids),
                ]
            )

    @api.constrains("metric_id")
    def _check_metric_is_manual(self):
        """A measured metric takes no value by hand: its provider's figure is the partner's
        value, and a typed one would silently disagree with it. Values typed while the metric
        was still manual are kept; they count again only if the metric goes back to Manual
        (the module measuring it uninstalled, or a manager's choice)."""
        for record in self.filtered(lambda r: r.metric_id.provider != "manual"):
            providers = self.env["partner.scorecard.provider"]._get_providers()
            raise ValidationError(
                self.env._(
                    "Metric %(metric)s is measured (%(provider)s): it takes no manual value. "
                    "Remove the value for %(partner)s, or set the metric's Provider to Manual "
                    "if it must be typed by hand.",
                    metric=record.metric_id.name,
                    provider=providers.get(record.metric_id.provider, record.metric_id.provider),
                    partner=record.partner_id.display_name,
                )
            )

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
