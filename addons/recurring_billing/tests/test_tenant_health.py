from datetime import date

from odoo.tests import freeze_time, tagged

from .common import BillingCommon

DAY = date(2026, 6, 15)


@tagged("post_install", "-at_install")
class TestTenantHealthCommercial(BillingCommon):
    """The commercial part of the customer health from the subscriptions linked to a tenant,
    computed by hand on 15 June 2026:

    - tenant 1: 700/month since January (hosting 500 + support 200), hosting raised to 600 on
      1 June (an expansion of 100): MRR 800, 700 thirty days before (16 May): +14.3 % ->
      50 + 50 x 0.143 / 0.2 = 85.71, plus the expansion's share 100 / 800 = 12.5 points: 98.21;
      its term ends 31 July: the renewal is 46 days away;
    - tenant 2: 200/month since January, flat: 50;
    - no adoption nor stability data, no incident (support 100): each score is
      (20 x 100 + 20 x commercial) / 40; the end customer's health weighs them 800 : 200.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tenant = cls.env["tenant.tenant"]
        cls.tenant_1, cls.tenant_2 = Tenant.create(
            [
                {
                    "name": name,
                    "partner_id": cls.channel_partner.id,
                    "end_customer_id": cls.customer_1.id,
                }
                for name in ("Health One", "Health Two")
            ]
        )
        cls.sub_1 = cls._subscription(
            date(2026, 1, 1),
            customer=cls.customer_1,
            tenant_id=cls.tenant_1.id,
            date_end=date(2026, 7, 31),
        )
        cls._subscription(
            date(2026, 1, 1),
            customer=cls.customer_1,
            tenant_id=cls.tenant_2.id,
            lines=[("support", 200.0)],
        )
        hosting = cls.sub_1.line_ids.filtered(lambda line: line.service_type == "hosting")
        hosting.action_change(date(2026, 6, 1), price_unit=600.0)

    def test_commercial_part_and_end_customer_health(self):
        snapshots = self.env["tenant.health.batch"]._health_snapshot(
            self.tenant_1 | self.tenant_2, DAY
        )
        one = snapshots.filtered(lambda s: s.tenant_id == self.tenant_1)
        two = snapshots.filtered(lambda s: s.tenant_id == self.tenant_2)
        self.assertAlmostEqual(one.mrr, 800.0)
        self.assertAlmostEqual(one.mrr_before, 700.0)
        self.assertAlmostEqual(one.expansion, 100.0)
        self.assertEqual(one.renewal_date, date(2026, 7, 31))
        # the MRR the tenant's form shows on that day
        with freeze_time("2026-06-15 12:00:00"):
            self.tenant_1.invalidate_recordset(["billing_mrr"])
            self.assertAlmostEqual(self.tenant_1.billing_mrr, one.mrr)
        commercial_1 = 50 + 50 * (100 / 700) / 0.2 + 12.5
        self.assertAlmostEqual(one.commercial_score, commercial_1, places=4)
        self.assertAlmostEqual(two.commercial_score, 50.0, places=4)
        score_1, score_2 = (2000 + 20 * commercial_1) / 40, (2000 + 20 * 50) / 40
        self.assertAlmostEqual(one.score, score_1, places=4)
        self.assertAlmostEqual(two.score, score_2, places=4)
        self.assertAlmostEqual(
            self.customer_1.customer_health_score, (800 * score_1 + 200 * score_2) / 1000, places=4
        )

    def test_falling_fast_before_renewal_is_a_risk(self):
        # 30 days earlier the tenant scored 100, now 99.1: well above the threshold and a flat
        # trend, but a fall of more than the fast drop (0.5 here) with the renewal 46 days away
        self.env["ir.config_parameter"].set_param("white_label_tenant.health_fast_drop", "0.5")
        self.env["tenant.health.snapshot"].sudo().create(
            {
                "tenant_id": self.tenant_1.id,
                "date": date(2026, 5, 16),
                "score": 100.0,
                "score_measured": True,
            }
        )
        snapshot = self.env["tenant.health.batch"]._health_snapshot(self.tenant_1, DAY)
        self.assertEqual(snapshot.trend, "flat")
        self.assertTrue(snapshot.renewal_risk)
        # without the renewal within 90 days, the same fall is no risk
        self.sub_1.date_end = date(2026, 12, 31)
        snapshot = self.env["tenant.health.batch"]._health_snapshot(self.tenant_1, DAY)
        self.assertFalse(snapshot.renewal_risk)
