from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..core.numbers import number_problem, parse_number

DEAL_FIELDS = (
    "name",
    "partner_name",
    "customer_vat",
    "email_from",
    "expected_revenue",
    "description",
)
# A registered deal above a trillion is a typo, and it would count in the pipeline metric.
MAX_EXPECTED_REVENUE = 1e12


class PartnerScorecardPortal(CustomerPortal):
    """Partner portal pages: scorecards, tier and gap, action plan, certifications, deals.

    Only checks access and renders: the record rules restrict every search to the user's own
    commercial partner, and ``_document_check_access`` guards each detail page.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "scorecard_count" in counters:
            values["scorecard_count"] = request.env["partner.scorecard"].search_count(
                self._scorecard_domain()
            )
        if "deal_count" in counters:
            values["deal_count"] = request.env["crm.lead"].search_count(self._deal_domain())
        return values

    def _scorecard_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "=", partner.id), ("state", "!=", "draft")]

    def _deal_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("channel_partner_id", "=", partner.id)]

    @http.route(["/my/scorecards"], type="http", auth="user", website=True, readonly=True)
    def portal_my_scorecards(self, **kw):
        cards = request.env["partner.scorecard"].search(self._scorecard_domain())
        if not cards:
            return request.render(
                "partner_scorecard.portal_my_scorecard", self._scorecard_values(cards)
            )
        return self._render_scorecard(cards[0], cards)

    @http.route(
        ["/my/scorecards/<int:card_id>"], type="http", auth="public", website=True, readonly=True
    )
    def portal_my_scorecard(
        self, card_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            card = self._document_check_access("partner.scorecard", card_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=card,
                report_type=report_type,
                report_ref="partner_scorecard.partner_scorecard_report_action",
                download=download,
            )
        history = card.search(
            [("membership_id", "=", card.membership_id.id), ("state", "!=", "draft")]
        )
        return self._render_scorecard(card, history)

    def _render_scorecard(self, card, history):
        return request.render(
            "partner_scorecard.portal_my_scorecard", self._scorecard_values(card, history)
        )

    def _scorecard_values(self, card, history=None):
        values = self._prepare_portal_layout_values()
        values.update(page_name="scorecard", card=card, history=history or card)
        if not card:
            return values
        values.update(card._chart_values())
        values.update(
            actions=card.sudo().review_ids.action_ids.filtered(
                lambda a: a.state in ("todo", "in_progress")
            ),
            certifications=request.env["partner.certification"].search(
                [("partner_id", "=", card.partner_id.id), ("is_valid", "=", True)]
            ),
        )
        return values

    # -- deal registration -----------------------------------------------------------------------
    @http.route(["/my/deals"], type="http", auth="user", website=True, readonly=True)
    def portal_my_deals(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="deals",
            deals=request.env["crm.lead"].search(self._deal_domain()),
            form={},
            errors={},
        )
        return request.render("partner_scorecard.portal_my_deals", values)

    @http.route(["/my/deals/<int:deal_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_deal(self, deal_id, **kw):
        # the record rule limits the search to the partner's own registered deals
        deal = request.env["crm.lead"].search([*self._deal_domain(), ("id", "=", deal_id)])
        if not deal:
            return request.redirect("/my/deals")
        values = self._prepare_portal_layout_values()
        values.update(page_name="deals", deal=deal)
        return request.render("partner_scorecard.portal_my_deal", values)

    @http.route(["/my/deals/register"], type="http", auth="user", website=True, methods=["POST"])
    def portal_register_deal(self, **post):
        partner = request.env.user.partner_id.commercial_partner_id
        form = {key: (post.get(key) or "").strip() for key in DEAL_FIELDS}
        errors = {}
        if not form["name"]:
            errors["name"] = request.env._("Give the opportunity a name.")
        if not form["partner_name"]:
            errors["partner_name"] = request.env._("Give the customer company's name.")
        revenue = parse_number(form["expected_revenue"] or "0")
        if number_problem(revenue, maximum=MAX_EXPECTED_REVENUE):
            errors["expected_revenue"] = request.env._(
                "Expected Revenue must be a positive number up to 1,000,000,000,000."
            )
            revenue = 0.0
        if not partner.is_channel_partner:
            errors["name"] = request.env._(
                "Your company is not a channel partner of the program: contact your account manager."
            )
        if errors:
            values = self._prepare_portal_layout_values()
            values.update(
                page_name="deals",
                deals=request.env["crm.lead"].search(self._deal_domain()),
                form=form,
                errors=errors,
            )
            return request.render("partner_scorecard.portal_my_deals", values)
        try:
            # a refused submission (another partner's protection) leaves nothing behind
            with request.env.cr.savepoint():
                request.env["crm.lead"].sudo().create(
                    {
                        "name": form["name"],
                        "partner_name": form["partner_name"],
                        "customer_vat": form["customer_vat"],
                        "email_from": form["email_from"],
                        "expected_revenue": revenue,
                        # typed as plain text: kept as text (escaped), never read as HTML
                        "description": plaintext2html(form["description"])
                        if form["description"]
                        else False,
                        "type": "opportunity",
                        "channel_partner_id": partner.id,
                        "registration_state": "registered",
                        "user_id": partner.channel_membership_id.account_manager_id.id or False,
                    }
                )
        except UserError as error:  # ValidationError too
            values = self._prepare_portal_layout_values()
            values.update(
                page_name="deals",
                deals=request.env["crm.lead"].search(self._deal_domain()),
                form=form,
                errors={"name": str(error)},
            )
            return request.render("partner_scorecard.portal_my_deals", values)
        return request.redirect("/my/deals?registered=1")
