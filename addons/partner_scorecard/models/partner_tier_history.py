from odoo import fields, models


class PartnerTierHistory(models.Model):
    """One change of a partner's tier: never edited, so the history stays true."""

    _name = "partner.tier.history"
    _description = "Partner Tier Change"
    _order = "date desc, id desc"

    membership_id = fields.Many2one(
        "partner.membership", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, index=True)
    old_tier_id = fields.Many2one("partner.tier", string="From Tier")
    new_tier_id = fields.Many2one("partner.tier", string="To Tier")
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    user_id = fields.Many2one("res.users", string="Decided By", default=lambda self: self.env.user)
    reason = fields.Char()
    scorecard_id = fields.Many2one("partner.scorecard", string="Based On Scorecard")
    company_id = fields.Many2one(related="membership_id.company_id", store=True)
