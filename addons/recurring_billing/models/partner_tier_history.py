from odoo import api, models

OPEN_STATES = ("draft", "active", "paused")


class PartnerTierHistory(models.Model):
    """A tier change refreshes the discount in force of the partner's subscriptions (what their
    margin counts): it applies from their next billing period, or from the current one when
    that period starts on the day of the change (``core.tier_discount``)."""

    _inherit = "partner.tier.history"

    @api.model_create_multi
    def create(self, vals_list):
        changes = super().create(vals_list)
        partners = changes.partner_id.commercial_partner_id
        if partners:
            self.env["billing.subscription"].sudo().search(
                [
                    ("partner_id.commercial_partner_id", "in", partners.ids),
                    ("state", "in", OPEN_STATES),
                ]
            )._refresh_tier_discount()
        return changes
