from datetime import date

from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestProviders(BillingCommon):
    """Revenue providers against hand-computed values for February 2026.

    Start (31 Jan): A 700 (hosting 500 + support 200), B 300 (hosting), C 100 (support) = 1100.
    10 Feb: A's support goes to 300 (+100 expansion). 15 Feb: B closes (-300 churn). End: 900.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer_3 = cls.env["res.partner"].create({"name": "Initech", "is_company": True})
        cls.sub_a = cls._subscription(date(2026, 1, 1), customer=cls.customer_1)
        cls.sub_b = cls._subscription(
            date(2026, 1, 1), customer=cls.customer_2, lines=[("hosting", 300.0)]
        )
        cls.sub_c = cls._subscription(
            date(2026, 1, 1), customer=customer_3, lines=[("support", 100.0)]
        )
        cls.sub_a.line_ids.filtered(lambda line: line.service_type == "support").action_change(
            date(2026, 2, 10), price_unit=300.0
        )
        cls.sub_b.action_close(date(2026, 2, 15))
        cls.partners = [cls.channel_partner.id, cls.other_partner.id]

    def _value(self, code):
        metric = self.env.ref(f"recurring_billing.metric_{code}")
        Provider = self.env["partner.scorecard.provider"]
        return Provider._compute_metric(metric, self._february(self.partners))

    def _february(self, partner_ids, company=None):
        return self.env["partner.scorecard.provider"]._metric_context(
            company or self.env.company, date(2026, 2, 1), date(2026, 2, 28), partner_ids
        )

    def test_providers_match_hand_computed_values(self):
        expected = {
            "billing_mrr_growth": (900 - 1100) / 1100 * 100,
            "billing_grr": (700 + 0 + 100) / 1100 * 100,
            "billing_nrr": (800 + 0 + 100) / 1100 * 100,
            "billing_renewal_rate": 2 / 3 * 100,
            "billing_expansion": 100.0,
            "billing_hosting_attach": 50.0,
            "billing_support_attach": 100.0,
            "billing_arr_per_account": 900 * 12 / 2,
        }
        for code, value in expected.items():
            result = self._value(code)
            self.assertEqual(
                list(result), [self.channel_partner.id], f"{code}: no data is missing, not zero"
            )
            self.assertAlmostEqual(result[self.channel_partner.id], value, places=4, msg=code)

    def test_one_query_per_metric(self):
        """The same queries for n and 3n partners (no exact pin: an Odoo patch release may move
        it), under a small ceiling."""
        metric = self.env.ref("recurring_billing.metric_billing_nrr")
        Provider = self.env["partner.scorecard.provider"]
        extra = self.env["res.partner"].create(
            [{"name": f"Partner {index}", "is_company": True} for index in range(6)]
        )
        counts = []
        for partners in (self.partners + extra[:2].ids, self.partners + extra.ids):
            Provider._compute_metric(metric, self._february(partners))
            self.env.flush_all()
            before = self.cr.sql_log_count
            Provider._compute_metric(metric, self._february(partners))
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "not one query more per partner")
        self.assertLessEqual(counts[1], 3, "one grouped query per metric, give or take")
