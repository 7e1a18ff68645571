from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class LeadOfferPortal(CustomerPortal):
    """The leads the platform offers to the partner: list, detail, accept, decline.

    Only checks access and renders: the record rule limits every search to the user's own
    commercial partner's offers (another partner's offer is a 404), and the offer's actions check
    the user, the state and the deadline on the server.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "lead_offer_count" in counters:
            values["lead_offer_count"] = request.env["crm.lead.offer"].search_count(
                self._lead_offer_domain()
            )
        return values

    def _lead_offer_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "=", partner.id), ("state", "!=", "withdrawn")]

    def _lead_offer(self, offer_id):
        # searched, not browsed: the record rule applies, another partner's offer is not found
        return request.env["crm.lead.offer"].search(
            [*self._lead_offer_domain(), ("id", "=", offer_id)]
        )

    @http.route(["/my/leads"], type="http", auth="user", website=True, readonly=True)
    def portal_my_lead_offers(self, **kw):
        offers = request.env["crm.lead.offer"].search(self._lead_offer_domain())
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="lead_offers",
            lead_offer=None,
            open_offers=offers.filtered(lambda offer: offer.state == "offered"),
            past_offers=offers.filtered(lambda offer: offer.state != "offered"),
        )
        return request.render("partner_scorecard.portal_my_lead_offers", values)

    @http.route(["/my/leads/<int:offer_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_lead_offer(self, offer_id, **kw):
        offer = self._lead_offer(offer_id)
        if not offer:
            raise request.not_found()
        return self._render_lead_offer(offer)

    def _render_lead_offer(self, offer, error=None, reason=""):
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="lead_offers",
            lead_offer=offer,
            error=error,
            reason=reason,
            tz_name=request.env.user.tz or "UTC",
        )
        return request.render("partner_scorecard.portal_my_lead_offer", values)

    @http.route(
        ["/my/leads/<int:offer_id>/accept"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_accept_lead_offer(self, offer_id, **post):
        return self._answer(offer_id, "accept")

    @http.route(
        ["/my/leads/<int:offer_id>/decline"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_decline_lead_offer(self, offer_id, reason="", **post):
        return self._answer(offer_id, "decline", reason=reason)

    def _answer(self, offer_id, answer, reason=""):
        offer = self._lead_offer(offer_id)
        if not offer:
            raise request.not_found()
        try:
            # a refused answer (expired, already answered) leaves nothing behind
            with request.env.cr.savepoint():
                if answer == "accept":
                    offer.action_accept()
                else:
                    offer.action_decline(reason)
        except (UserError, AccessError) as error:
            offer.invalidate_recordset()
            return self._render_lead_offer(offer, error=str(error), reason=reason)
        return request.redirect(f"/my/leads/{offer.id}?answered={answer}")
