from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ScorecardMetricBand(models.Model):
    _name = "scorecard.metric.band"
    _description = "Scoring Band"
    _order = "threshold desc"

    metric_id = fields.Many2one("scorecard.metric", required=True, ondelete="cascade", index=True)
    threshold = fields.Float(
        required=True,
        help="Raw value from which this band applies (at least it when higher is better, at most "
        "it when lower is better).",
    )
    score = fields.Float(required=True, help="Points, between 0 and 100.")

    @api.constrains("score")
    def _check_score(self):
        if any(not 0 <= band.score <= 100 for band in self):
            raise ValidationError(self.env._("The Score of a band must be between 0 and 100."))
