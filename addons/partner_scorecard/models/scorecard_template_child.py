from odoo import api, models


class ScorecardTemplateChild(models.AbstractModel):
    """A weighted part of a scorecard template (its domain weights and its metric lines): the
    template's weights are checked again after every change of one, on the template it left
    as well as the one it joined."""

    _name = "scorecard.template.child"
    _description = "Weighted Part of a Scorecard Template"

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
