from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestTenantHosting(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("partner_scorecard.group_channel_manager")
        cls.plan_m, cls.plan_l = cls.env["tenant.plan"].create(
            [
                {
                    "name": "M",
                    "vcpu": 4,
                    "ram_gb": 16,
                    "storage_gb": 200,
                    "hosting_price": 300.0,
                    "hosting_product_id": cls.hosting.id,
                },
                {
                    "name": "L",
                    "vcpu": 8,
                    "ram_gb": 32,
                    "storage_gb": 500,
                    "hosting_price": 600.0,
                    "hosting_product_id": cls.hosting.id,
                },
            ]
        )
        cls.tenant = cls.env["tenant.tenant"].create(
            {
                "name": "Acme ERP",
                "partner_id": cls.channel_partner.id,
                "end_customer_id": cls.customer_1.id,
            }
        )
        cls.environment = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant.id,
                "stage": "production",
                "plan_id": cls.plan_m.id,
                "database_name": "billing_acme_prod",
            }
        )

    def test_plan_change_reprices_the_hosting_line_prorated(self):
        subscription = self._subscription(
            start=date(2026, 4, 1), lines=[("support", 100.0)], tenant_id=self.tenant.id
        )
        line = self.env["billing.subscription.line"].create(
            {"subscription_id": subscription.id, "environment_id": self.environment.id}
        )
        self.assertEqual(line.price_unit, 300.0, "priced by the infrastructure plan")
        self.env["billing.run"]._run(date(2026, 4, 1))
        self.environment.with_context(billing_change_date=date(2026, 4, 16)).plan_id = self.plan_l
        running = subscription.line_ids.filtered(
            lambda x: x.environment_id and x._is_running(date(2026, 4, 16))
        )
        self.assertEqual(running.price_unit, 600.0)
        self.env["billing.run"]._run(date(2026, 4, 16))
        self.assertAlmostEqual(subscription.invoice_ids.sorted("id")[-1].amount_untaxed, 150.0)

    def test_tenant_of_another_partner_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._subscription(partner=self.other_partner, tenant_id=self.tenant.id)
