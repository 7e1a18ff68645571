from odoo import api, models


class BillingBundle(models.Model):
    """Demo data only: one bundle ordered through the portal path, with a resale price."""

    _inherit = "billing.bundle"

    @api.model
    def _demo_order_northwind(self):
        """Northwind's portal user orders the omnichannel bundle for a new customer and sets
        its resale price, as on the portal (once: an update keeps the order)."""
        bundle = self.env.ref(
            "recurring_billing.bundle_omnichannel_growth", raise_if_not_found=False
        )
        user = self.env.ref("partner_scorecard.portal_user_northwind", raise_if_not_found=False)
        if not bundle or not user or bundle.sudo().subscription_ids:
            return False
        bundle = bundle.with_user(user).sudo()  # the portal controller reads the bundle so
        subscription = bundle._place_order(
            user.partner_id,
            customer_vals={
                "name": "Larkspur Home & Garden",
                "email": "it@larkspur-home.example.com",
                "vat": "US-LARK-2207",
                "country_id": self.env.ref("base.us").id,
            },
            region="us-east",
        )
        subscription.with_user(user).action_set_resale_price(2450)
        # data of the module, so that uninstalling it removes them (the customer, the tenant the
        # order requested and its environments, the subscription; the project stays a project)
        tenant = subscription.tenant_id
        self.env["ir.model.data"]._register_demo_records(
            "recurring_billing",
            subscription.end_customer_id,
            tenant,
            tenant.environment_ids,
            subscription,
        )
        return subscription
