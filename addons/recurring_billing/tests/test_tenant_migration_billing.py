from datetime import date

from odoo.tests import freeze_time, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestTenantMigrationBilling(BillingCommon):
    """Issue 15: a move to dedicated switches the hosting line from the multi-tenant plan to the
    dedicated plan on the day of the switch, prorated (figures computed by hand). The move
    itself runs on real databases in white_label_tenant's TestMigration; here its switch step
    (``_on_switched``) is called on records, the billing side only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("partner_scorecard.group_channel_manager")
        Plan = cls.env["tenant.plan"]
        cls.dedicated_hosting = cls._create_product(name="Dedicated hosting M", type="service")
        cls.dedicated_hosting.taxes_id = False
        cls.plan_shared = Plan.create(
            {
                "name": "Shared M",
                "vcpu": 2,
                "ram_gb": 8,
                "storage_gb": 100,
                "hosting_price": 300.0,
                "hosting_product_id": cls.hosting.id,
            }
        )
        cls.plan_dedicated = Plan.create(
            {
                "name": "Dedicated M",
                "vcpu": 4,
                "ram_gb": 16,
                "storage_gb": 200,
                "hosting_price": 900.0,
                "hosting_product_id": cls.dedicated_hosting.id,
            }
        )
        cls.tenant = cls.env["tenant.tenant"].create(
            {
                "name": "Move ERP",
                "partner_id": cls.channel_partner.id,
                "end_customer_id": cls.customer_1.id,
                "deployment_model": "multi_tenant",
            }
        )
        Environment = cls.env["tenant.environment"]
        cls.old = Environment._workflow_create(
            {
                "tenant_id": cls.tenant.id,
                "stage": "production",
                "plan_id": cls.plan_shared.id,
                "database_name": "billing_move_prod",
                "state": "active",
            }
        )
        cls.new = Environment._workflow_create(
            {
                "tenant_id": cls.tenant.id,
                "stage": "production",
                "plan_id": cls.plan_dedicated.id,
                "database_name": "billing_move_ded",
                "state": "active",
            }
        )
        cls.migration = cls.env["tenant.migration"]._workflow_create(
            {
                "source_environment_id": cls.old.id,
                "target_plan_id": cls.plan_dedicated.id,
                "target_database_name": "billing_move_ded",
                "target_environment_id": cls.new.id,
                "state": "switched",
            }
        )

    def test_switch_day_ends_the_shared_line_and_bills_the_dedicated_plan_prorated(self):
        subscription = self._subscription(
            start=date(2026, 4, 1),
            lines=[("support", 100.0)],
            tenant_id=self.tenant.id,
            activate=False,
        )
        line = self.env["billing.subscription.line"].create(
            {"subscription_id": subscription.id, "environment_id": self.old.id}
        )
        subscription.action_activate()
        self.assertEqual(line.price_unit, 300.0, "priced by the shared plan")
        Run = self.env["billing.run"]
        Run._run(date(2026, 4, 1))
        first = subscription.invoice_ids.sorted("id")[-1]
        self.assertAlmostEqual(first.amount_untaxed, 400.0, msg="April: support 100 + hosting 300")

        with freeze_time("2026-04-16 09:30:00"):
            switched = self.migration._on_switched(date(2026, 4, 16))
        self.assertTrue(switched)
        lines = subscription.line_ids.filtered("environment_id").sorted("date_start")
        self.assertEqual(len(lines), 2)
        self.assertEqual(
            (lines[0].environment_id, lines[0].date_end), (self.old, date(2026, 4, 15))
        )
        self.assertEqual(
            (lines[1].environment_id, lines[1].date_start, lines[1].price_unit),
            (self.new, date(2026, 4, 16), 900.0),
        )
        self.assertEqual(lines.product_id, self.hosting | self.dedicated_hosting)
        # 16-30 April (15 of 30 days): 300 x 15/30 = 150 credited, 900 x 15/30 = 450 charged
        Run._run(date(2026, 4, 16))
        switch_invoice = subscription.invoice_ids.sorted("id")[-1]
        self.assertNotEqual(switch_invoice, first)
        self.assertAlmostEqual(switch_invoice.amount_untaxed, 450.0 - 150.0, places=2)
        # May: support 100 + dedicated hosting 900, the shared plan no more
        Run._run(date(2026, 5, 1))
        self.assertAlmostEqual(
            subscription.invoice_ids.sorted("id")[-1].amount_untaxed, 1000.0, places=2
        )
        with freeze_time("2026-05-02"):
            self.env.invalidate_all()
            self.assertAlmostEqual(subscription.mrr, 1000.0)
            self.assertAlmostEqual(self.new.hosting_mrr, 900.0)
            self.assertAlmostEqual(self.old.hosting_mrr, 0.0)
        # the MRR ledger: support 100 and hosting 300 new on 1 April, +600 (900 - 300) expansion
        # on the switch day
        ledger = self.env["billing.mrr.movement"].search(
            [("subscription_id", "=", subscription.id)], order="date, id"
        )
        self.assertEqual(
            [(m.date, m.movement_type, m.amount) for m in ledger],
            [
                (date(2026, 4, 1), "new", 100.0),
                (date(2026, 4, 1), "new", 300.0),
                (date(2026, 4, 16), "expansion", 600.0),
            ],
        )
