from odoo import Command, http
from odoo.tests import HttpCase, new_test_user

# what an order creates: a refused order must leave every count as it was
ORDER_MODELS = (
    "res.partner",
    "billing.subscription",
    "billing.subscription.line",
    "tenant.tenant",
    "tenant.environment",
    "project.project",
    "governance.gate",
)


class BundleCommon(HttpCase):
    """Two channel partners of the same type and tier (Fjordline orders, Oakridge serves a
    customer of its own), a third with a suspended membership, their portal users, and three
    bundles: tier 2 dedicated (quarterly), tier 1 multi-tenant (monthly), and one for a tier the
    partners are not in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.type_impl = env.ref("partner_scorecard.partner_type_implementation")
        cls.tier, cls.top_tier = env["partner.tier"].create(
            [
                {"name": "Bundle Test Silver", "level": 910, "min_overall_score": 50},
                {"name": "Bundle Test Platinum", "level": 920, "min_overall_score": 90},
            ]
        )
        cls.fjord, cls.oakridge, cls.quietwater = env["res.partner"].create(
            [
                {"name": "Fjordline Implementation", "is_company": True},
                {"name": "Oakridge Resellers", "is_company": True},
                {"name": "Quietwater Consulting", "is_company": True},
            ]
        )
        memberships = env["partner.membership"]._workflow_create(
            [
                {
                    "partner_id": partner.id,
                    "partner_type_id": cls.type_impl.id,
                    "tier_id": cls.tier.id,
                }
                for partner in (cls.fjord, cls.oakridge, cls.quietwater)
            ]
        )
        memberships[2].action_suspend()
        cls.users = {}
        for key, partner in (
            ("fjord", cls.fjord),
            ("oakridge", cls.oakridge),
            ("quietwater", cls.quietwater),
        ):
            user = new_test_user(
                env, login=f"bundle_{key}", password=f"bundle_{key}", groups="base.group_portal"
            )
            user.partner_id.parent_id = partner
            cls.users[key] = user
        cls.plan = env["tenant.plan"].create(
            {"name": "Bundle Test Dedicated", "code": "BT-DED", "vcpu": 4, "ram_gb": 16}
        )
        Product = env["product.product"]
        cls.hosting, cls.support, cls.implementation = Product.create(
            [
                {"name": "Bundle hosting", "type": "service"},
                {"name": "Bundle support", "type": "service"},
                {"name": "Bundle implementation", "type": "service"},
            ]
        )
        (cls.hosting | cls.support | cls.implementation).taxes_id = False

        def lines(hosting, support, implementation=0.0):
            result = [
                Command.create(
                    {
                        "product_id": cls.hosting.id,
                        "service_type": "hosting",
                        "monthly_price": hosting,
                    }
                ),
                Command.create(
                    {
                        "product_id": cls.support.id,
                        "service_type": "support",
                        "monthly_price": support,
                    }
                ),
            ]
            if implementation:
                result.append(
                    Command.create(
                        {
                            "product_id": cls.implementation.id,
                            "service_type": "implementation",
                            "monthly_price": implementation,
                        }
                    )
                )
            return result

        Bundle = env["billing.bundle"]
        cls.bundle_growth = Bundle.create(
            {
                "name": "Omnichannel Growth (test)",
                "erp_scope": "POS, Inventory, eCommerce",
                "hosting_model": "dedicated",
                "plan_id": cls.plan.id,
                "support_tier": "priority",
                "periodicity": "quarterly",
                "commitment_months": 12,
                "complexity_tier": "2",
                "suggested_resale_price": 1000.0,
                "partner_type_ids": [Command.set(cls.type_impl.ids)],
                "line_ids": lines(400.0, 200.0, 8000.0),
                "portal_published": True,
            }
        )
        cls.bundle_starter = Bundle.create(
            {
                "name": "DTC Starter (test)",
                "erp_scope": "Sales, Inventory, Shopify connector",
                "hosting_model": "multi_tenant",
                "plan_id": cls.plan.id,
                "periodicity": "monthly",
                "commitment_months": 0,
                "complexity_tier": "1",
                "suggested_resale_price": 500.0,
                "line_ids": lines(100.0, 150.0),
                "portal_published": True,
            }
        )
        cls.bundle_platinum = Bundle.create(
            {
                "name": "Enterprise for Platinum (test)",
                "erp_scope": "Everything",
                "hosting_model": "dedicated",
                "plan_id": cls.plan.id,
                "complexity_tier": "3",
                "partner_tier_ids": [Command.set(cls.top_tier.ids)],
                "line_ids": lines(900.0, 600.0, 30000.0),
                "portal_published": True,
            }
        )
        # Oakridge already serves Dunmore Foods (a subscription for it)
        cls.dunmore = env["res.partner"].create(
            {"name": "Dunmore Foods", "is_company": True, "vat": "BE0999000111"}
        )
        cls.oakridge_subscription = env["billing.subscription"].create(
            {
                "partner_id": cls.oakridge.id,
                "end_customer_id": cls.dunmore.id,
                "line_ids": [
                    Command.create(
                        {"product_id": cls.support.id, "service_type": "support", "price_unit": 90}
                    )
                ],
            }
        )

    # ------------------------------------------------------------------ helpers

    def _login(self, key):
        self.authenticate(f"bundle_{key}", f"bundle_{key}")

    def _post(self, url, data):
        return self.url_open(
            url, data={**data, "csrf_token": http.Request.csrf_token(self)}, allow_redirects=False
        )

    def _order(self, bundle, **data):
        return self._post(f"/my/bundles/{bundle.id}/order/submit", data)

    def _counts(self):
        self.env.invalidate_all()
        return {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in ORDER_MODELS
        }
