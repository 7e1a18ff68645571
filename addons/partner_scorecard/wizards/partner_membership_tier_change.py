from odoo import fields, models


class PartnerMembershipTierChange(models.TransientModel):
    """A manager moves partners to another tier by hand, with the reason kept in the history."""

    _name = "partner.membership.tier.change"
    _description = "Change a Partner's Tier"

    membership_ids = fields.Many2many("partner.membership", string="Memberships", required=True)
    tier_id = fields.Many2one("partner.tier", string="New Tier", required=True)
    reason = fields.Char(required=True, help="Kept in the tier history.")

    def action_apply(self):
        self.ensure_one()
        self._check_manager()
        self.membership_ids._set_tier(self.tier_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

    def _check_manager(self):
        self.env["partner.membership"]._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("change a partner's tier")
        )
