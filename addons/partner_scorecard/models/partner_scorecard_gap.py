from odoo import fields, models


class PartnerScorecardGap(models.Model):
    """One criterion of the next tier that the partner does not meet yet, and by how much."""

    _name = "partner.scorecard.gap"
    _description = "Gap to Next Tier"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        "partner.scorecard", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="scorecard_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    sequence = fields.Integer()
    tier_id = fields.Many2one("partner.tier", string="Tier")
    name = fields.Char(string="Criterion", required=True)
    required_value = fields.Float(string="Required")
    actual_value = fields.Float(string="Actual")
    has_actual = fields.Boolean()
    shortfall = fields.Float()
