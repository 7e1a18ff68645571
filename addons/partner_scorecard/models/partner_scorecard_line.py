from odoo import fields, models

from .scorecard_metric import METRIC_DOMAINS


class PartnerScorecardLine(models.Model):
    """One metric of a scorecard: the raw value, where it came from, and the points it earned."""

    _name = "partner.scorecard.line"
    _description = "Scorecard Metric Line"
    _order = "scorecard_id, domain, sequence, id"
    # Written in bulk by the recompute (48,000 rows for 2,000 partners): no audit columns and no
    # stored copies of the scorecard's fields, each of which would cost a foreign-key check per row.
    _log_access = False

    scorecard_id = fields.Many2one(
        "partner.scorecard", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="scorecard_id.partner_id")
    period_id = fields.Many2one(related="scorecard_id.period_id")
    company_id = fields.Many2one(related="scorecard_id.company_id")
    # cascade for the uninstall of the metric's module; users are stopped by the metric's guard
    metric_id = fields.Many2one("scorecard.metric", required=True, ondelete="cascade")
    sequence = fields.Integer()
    domain = fields.Selection(METRIC_DOMAINS, required=True)
    unit = fields.Selection(related="metric_id.unit")
    raw_value = fields.Float(string="Value")
    has_value = fields.Boolean(
        string="Measured", help="Unchecked: no data for this period (missing)."
    )
    score = fields.Float(help="0-100 points; empty when the value is missing.")
    weight = fields.Float(help="Weight within the domain, from the template.")
    effective_weight = fields.Float(
        help="Share of the overall score this line actually carried, after missing data was "
        "redistributed (percent)."
    )
    target = fields.Float()
    source = fields.Char(help="The provider that gave the value, or the error it raised.")

    _sql_constraints = [
        (
            "metric_unique",
            "unique(scorecard_id, metric_id)",
            "A scorecard has one line per metric.",
        ),
        (
            "figures_in_range",
            "CHECK(score BETWEEN 0 AND 100 "
            "AND raw_value > '-Infinity'::float8 AND raw_value < 'Infinity'::float8)",
            "A metric's value must be a finite number and its score between 0 and 100.",
        ),
    ]
