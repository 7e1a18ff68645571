from odoo import models


class PartnerScorecard(models.Model):
    """The benefits shown on the portal scorecard page next to the gap to the next tier."""

    _inherit = "partner.scorecard"

    def _portal_tier_benefits(self):
        """``{"current": tier, "next": tier}`` of the scorecard's partner: the tier it holds now
        (its membership's) and the one above it. The caller has already been allowed to read the
        scorecard; the tiers' benefit fields are program configuration every partner may read."""
        self.ensure_one()
        membership = self.sudo().membership_id
        current = membership.tier_id
        next_tier = current._next_tier() if current else self.sudo().next_tier_id
        return {"current": current, "next": next_tier}
