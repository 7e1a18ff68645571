from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.numbers import number_problem


class ScorecardTemplateLine(models.Model):
    _name = "scorecard.template.line"
    _inherit = ["scorecard.template.child"]
    _description = "Metric of a Scorecard Template"
    _order = "template_id, domain, sequence, id"

    template_id = fields.Many2one(
        "scorecard.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    # cascade for the uninstall of the metric's module; users are stopped by the metric's guard
    metric_id = fields.Many2one("scorecard.metric", required=True, ondelete="cascade")
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

    @api.constrains("target", "floor")
    def _check_target_floor(self):
        for line in self:
            for fname in ("target", "floor"):
                if number_problem(line[fname], allow_negative=True):
                    raise ValidationError(
                        self.env._(
                            "Template %(template)s, metric %(metric)s: %(field)s must be a "
                            "finite number.",
                            template=line.template_id.name,
                            metric=line.metric_id.code,
                            field=self._fields[fname].string,
                        )
                    )
