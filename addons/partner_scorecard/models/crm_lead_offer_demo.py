from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL


class CrmLeadOfferDemo(models.Model):
    """Plays the demo's lead distribution through the workflow's own steps, on the install day."""

    _inherit = "crm.lead.offer"

    @api.model
    def _demo_lead_distribution(self, manager_ref, expired_ref, accepted_ref, portal_ref):
        """Forward ``expired_ref`` by the rules and let its first offer run out (it moves on to
        the next partner, who has it waiting), and have the portal user ``portal_ref`` accept
        ``accepted_ref`` five hours after it was offered."""
        manager = self.env.ref(manager_ref)
        expired_lead = self.env.ref(expired_ref).with_user(manager)
        expired_lead.action_distribution_forward()
        self._demo_backdate(expired_lead.lead_offer_ids, hours=50)
        self._cron_expire_offers()
        accepted_lead = self.env.ref(accepted_ref).with_user(manager)
        accepted_lead.action_distribution_forward()
        offer = accepted_lead.lead_offer_ids
        self._demo_backdate(offer, hours=5)
        offer.with_user(self.env.ref(portal_ref)).action_accept()

    def _demo_backdate(self, offers, hours):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE crm_lead_offer SET offered_at = offered_at - %s,
                                             deadline = deadline - %s
                    WHERE id = ANY(%s)""",
                timedelta(hours=hours),
                timedelta(hours=hours),
                offers.ids,
            )
        )
        offers.invalidate_recordset(["offered_at", "deadline"])
