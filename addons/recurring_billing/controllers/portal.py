import json

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.partner_scorecard.core.charts import chartjs_spec
from odoo.addons.portal.controllers.portal import CustomerPortal


class BillingPortal(CustomerPortal):
    """A partner's subscriptions, with lines, next invoice date and recurring revenue over time.

    Only checks access and renders: record rules limit every search to the user's own commercial
    partner and ``_document_check_access`` guards the detail page. Invoices are Odoo's own portal
    invoice pages.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "subscription_count" in counters:
            values["subscription_count"] = request.env["billing.subscription"].search_count(
                self._subscription_domain()
            )
        return values

    def _subscription_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id), ("state", "!=", "draft")]

    @http.route(["/my/subscriptions"], type="http", auth="user", website=True, readonly=True)
    def portal_my_subscriptions(self, **kw):
        subscriptions = request.env["billing.subscription"].search(self._subscription_domain())
        chart = request.env["billing.mrr.movement"]._portal_mrr_chart(
            request.env.user.partner_id.commercial_partner_id
        )
        points = [(dot["label"], dot["value"]) for dot in chart["dots"]]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="billing_subscription",
            breadcrumb_subscription=False,
            subscriptions=subscriptions,
            chart=chart,
            # the same figures for Chart.js where the page runs JavaScript
            chart_spec=json.dumps(chartjs_spec("line", points, request.env._("MRR"), area=True)),
        )
        return request.render("recurring_billing.portal_my_subscriptions", values)

    @http.route(
        ["/my/subscriptions/<int:subscription_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_subscription(self, subscription_id, **kw):
        # no access token: a subscription is shared with the partner's portal users only (a
        # token passed anyway must not reach _document_check_access, which would read a field
        # this model does not have)
        try:
            subscription = self._document_check_access("billing.subscription", subscription_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="billing_subscription",
            breadcrumb_subscription=subscription,
            subscription=subscription,
            invoices=subscription.sudo().invoice_ids.filtered(lambda m: m.state == "posted"),
        )
        return request.render("recurring_billing.portal_my_subscription", values)
