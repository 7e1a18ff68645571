from odoo import fields, models

from .scorecard_metric import METRIC_DOMAINS


class ScorecardTemplateDomain(models.Model):
    _name = "scorecard.template.domain"
    _inherit = ["scorecard.template.child"]
    _description = "Domain Weight of a Scorecard Template"
    _order = "template_id, domain"

    template_id = fields.Many2one(
        "scorecard.template", required=True, ondelete="cascade", index=True
    )
    domain = fields.Selection(METRIC_DOMAINS, required=True)
    weight = fields.Float(required=True, help="Share of the overall score, out of 100.")

    _sql_constraints = [
        ("domain_unique", "unique(template_id, domain)", "A domain appears once in a template."),
    ]
