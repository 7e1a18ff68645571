from odoo import api, fields, models


class ScorecardTemplateLine(models.Model):
    _name = "scorecard.template.line"
    _description = "Metric of a Scorecard Template"
    _order = "template_id, domain, sequence, id"

    template_id = fields.Many2one(
        "scorecard.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    metric_id = fields.Many2one("scorecard.metric", required=True, ondelete="restrict")
    domain = fields.Selection(related="metric_id.domain", store=True)
    weight = fields.Float(required=True, help="Share of the domain score, out of 100.")
    target = fields.Float(compute="_compute_targets", store=True, readonly=False)
    floor = fields.Float(compute="_compute_targets", store=True, readonly=False)
    unit = fields.Selection(related="metric_id.unit")

    @api.depends("metric_id")
    def _compute_targets(self):
        for line in self:
            line.target = line.metric_id.target
            line.floor = line.metric_id.floor
