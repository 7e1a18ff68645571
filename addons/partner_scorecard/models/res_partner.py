from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_membership_ids = fields.One2many("partner.membership", "partner_id")
    channel_membership_id = fields.Many2one(
        "partner.membership",
        string="Program Membership",
        compute="_compute_channel_membership",
        store=True,
        index=True,
    )
    is_channel_partner = fields.Boolean(
        string="Channel Partner", compute="_compute_channel_membership", store=True, index=True
    )
    channel_tier_id = fields.Many2one(
        related="channel_membership_id.tier_id", string="Partner Tier"
    )
    channel_partner_type_id = fields.Many2one(
        related="channel_membership_id.partner_type_id", string="Channel Partner Type"
    )

    @api.depends("channel_membership_ids.state", "channel_membership_ids.company_id")
    def _compute_channel_membership(self):
        for partner in self:
            memberships = partner.channel_membership_ids.filtered(lambda m: m.state != "ended")
            partner.channel_membership_id = memberships.sorted("id")[:1]
            partner.is_channel_partner = bool(memberships)
