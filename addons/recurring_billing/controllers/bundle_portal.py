from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..core import margin as margin_core

_CUSTOMER_FIELDS = ("name", "email", "vat", "country_id")


class BundlePortal(CustomerPortal):
    """The offer bundle catalogue, the order form and the partner's resale price.

    Only checks access and renders: which bundles a partner may order, the order itself and the
    resale price are model methods (billing.bundle._available_for / _place_order,
    billing.subscription.action_set_resale_price) that check everything again."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "bundle_count" in counters:
            values["bundle_count"] = len(self._portal_bundles())
        return values

    def _portal_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _portal_bundles(self):
        # the catalogue is not shared through record rules: a bundle shows to the partners its
        # types and tiers allow, which _available_for decides
        bundles = (
            request.env["billing.bundle"]
            .sudo()
            .search(
                [
                    ("portal_published", "=", True),
                    ("company_id", "in", request.env.user.company_ids.ids),
                ]
            )
        )
        return bundles._available_for(self._portal_partner())

    def _bundle_orders(self):
        return request.env["billing.subscription"].search(
            [
                ("partner_id", "child_of", self._portal_partner().id),
                ("bundle_id", "!=", False),
                ("state", "!=", "closed"),
            ]
        )

    @http.route(["/my/bundles"], type="http", auth="user", website=True, readonly=True)
    def portal_my_bundles(self, **kw):
        orders = self._bundle_orders()
        shared = orders.filtered("resale_shared")
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="billing_bundle",
            bundle_page=False,
            bundles=self._portal_bundles(),
            orders=orders,
            totals=margin_core.portfolio([(o.resale_price, o.paid_wholesale_mrr) for o in shared]),
            totals_currency=(orders.currency_id or request.env.company.currency_id)[:1],
        )
        return request.render("recurring_billing.portal_my_bundles", values)

    def _order_form_values(self, bundle, error=None, form=None):
        values = self._prepare_portal_layout_values()
        env = request.env
        values.update(
            page_name="billing_bundle",
            bundle_page=bundle,
            bundle=bundle,
            error=error,
            form=form or {},
            own_customers=bundle._own_customers(self._portal_partner()),
            countries=env["res.country"].sudo().search([]),
            regions=env["tenant.environment"]._fields["region"]._description_selection(env),
        )
        return values

    def _check_bundle(self, bundle_id):
        return self._portal_bundles().filtered(lambda b: b.id == bundle_id)

    @http.route(
        ["/my/bundles/<int:bundle_id>/order"], type="http", auth="user", website=True, readonly=True
    )
    def portal_bundle_order_form(self, bundle_id, **kw):
        bundle = self._check_bundle(bundle_id)
        if not bundle:
            return request.redirect("/my/bundles")
        return request.render(
            "recurring_billing.portal_bundle_order", self._order_form_values(bundle)
        )

    @http.route(
        ["/my/bundles/<int:bundle_id>/order/submit"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_bundle_order(self, bundle_id, **post):
        # the bundle is looked up without the catalogue filter: _order refuses it with the reason
        # (membership, type, tier) instead of a silent redirect
        bundle = (
            request.env["billing.bundle"]
            .sudo()
            .search(
                [("id", "=", bundle_id), ("company_id", "in", request.env.user.company_ids.ids)]
            )
        )
        if not bundle:
            return request.redirect("/my/bundles")
        customer = request.env["res.partner"]
        if (post.get("customer_id") or "").isdigit() and post.get("customer_mode") == "existing":
            customer = customer.sudo().browse(int(post["customer_id"])).exists()
            if not customer:
                return request.redirect(f"/my/bundles/{bundle.id}/order")
        customer_vals = {name: post.get(name) for name in _CUSTOMER_FIELDS}
        try:
            subscription = bundle._place_order(
                self._portal_partner(),
                customer=customer,
                customer_vals=customer_vals,
                region=post.get("region", "eu-west"),
            )
        except UserError as error:
            return request.render(
                "recurring_billing.portal_bundle_order",
                self._order_form_values(bundle, error=str(error.args[0]), form=post),
            )
        return request.redirect(f"/my/subscriptions/{subscription.id}?ordered=1")

    @http.route(
        ["/my/subscriptions/<int:subscription_id>/resale"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_subscription_resale(self, subscription_id, resale_price="", **kw):
        try:
            subscription = self._document_check_access("billing.subscription", subscription_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            # the portal user's own environment: the action checks the partner owns it
            request.env["billing.subscription"].browse(subscription.id).action_set_resale_price(
                resale_price
            )
        except AccessError:
            return request.redirect("/my")
        except UserError:
            try:
                margin_core.parse_resale_price(resale_price)
                code = "not_a_number"
            except margin_core.ResalePriceError as error:
                code = error.code
            return request.redirect(f"/my/subscriptions/{subscription.id}?resale_error={code}")
        return request.redirect(f"/my/subscriptions/{subscription.id}?resale_saved=1")
