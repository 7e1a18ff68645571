from odoo import http
from odoo.http import request

from odoo.addons.white_label_tenant.controllers.portal import TenantPortal


class TenantBillingPortal(TenantPortal):
    """The tenant page also shows what bills the tenant, to the partner's own users only: a
    visitor holding the tenant's share link (an end customer) never sees wholesale figures."""

    @http.route()
    def portal_my_tenant(self, tenant_id, access_token=None, **kw):
        response = super().portal_my_tenant(tenant_id, access_token=access_token, **kw)
        tenant = getattr(response, "qcontext", {}).get("tenant")
        if not tenant:
            return response
        user = request.env.user
        partner = tenant.sudo().partner_id.commercial_partner_id
        if user._is_public() or user.partner_id.commercial_partner_id != partner:
            return response
        # as the portal user: the record rules keep to the partner's own subscriptions
        subscriptions = request.env["billing.subscription"].search(
            [("id", "in", tenant.sudo().billing_subscription_ids.ids), ("state", "!=", "draft")]
        )
        response.qcontext.update(
            billing_subscriptions=subscriptions,
            billing_mrr=tenant.sudo().billing_mrr,
            billing_currency=tenant.sudo().billing_currency_id,
        )
        return response
