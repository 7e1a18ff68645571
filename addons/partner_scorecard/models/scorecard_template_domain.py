from odoo import api, fields, models

from .scorecard_metric import METRIC_DOMAINS


class ScorecardTemplateDomain(models.Model):
    _name = "scorecard.template.domain"
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

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.template_id._check_weights_after_child_change()
        return records

    def write(self, vals):
        templates = self.template_id
        result = super().write(vals)
        (templates | self.template_id)._check_weights_after_child_change()
        return result

    def unlink(self):
        templates = self.template_id
        result = super().unlink()
        templates._check_weights_after_child_change()
        return result
