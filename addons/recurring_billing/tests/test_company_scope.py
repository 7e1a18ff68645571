from datetime import date

from odoo.tests import tagged

from .common import BillingCommon

FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


@tagged("post_install", "-at_install")
class TestCompanyScope(BillingCommon):
    """Issue 11: one channel partner bills a customer in company A and another in company B; the
    revenue metrics of each company's scorecard count that company's subscriptions only.

    February 2026: in A, 700 of MRR (hosting 500 + support 200) all month; in B, hosting 300 goes
    to 400 on 10 February (+100 expansion).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Billing Company B")["company"]
        cls._subscription(date(2026, 1, 1), customer=cls.customer_1)
        sub_b = cls._subscription(
            date(2026, 1, 1),
            customer=cls.customer_2,
            lines=[("hosting", 300.0)],
            company_id=cls.company_b.id,
        )
        sub_b.line_ids.action_change(date(2026, 2, 10), price_unit=400.0)

    def test_each_company_counts_its_subscriptions_only(self):
        expected = {
            # code: (company A, company B); None: no data
            "billing_mrr_growth": (0.0, 100 / 3),
            "billing_expansion": (None, 100.0),
            "billing_hosting_attach": (100.0, 100.0),
            "billing_support_attach": (100.0, 0.0),
            "billing_arr_per_account": (700 * 12, 400 * 12),
            "billing_nrr": (100.0, 400 / 3),
        }
        provider = self.env["partner.scorecard.provider"]
        partner = self.channel_partner
        for code, values in expected.items():
            metric = self.env.ref(f"recurring_billing.metric_{code}")
            for company, value in zip((self.company, self.company_b), values, strict=True):
                context = provider._metric_context(company, *FEBRUARY, partner)
                with self.subTest(code=code, company=company.name):
                    result = provider._compute_metric(metric, context)
                    if value is None:
                        self.assertNotIn(partner.id, result)
                    else:
                        self.assertAlmostEqual(result[partner.id], value, places=6)
