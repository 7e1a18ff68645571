from datetime import date

from odoo.tests import tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestProviders(ScorecardCase):
    """Each CRM provider against hand-computed values, one grouped query for all partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls._make_partner("Provider A").partner_id
        cls.b = cls._make_partner("Provider B").partner_id
        cls.c = cls._make_partner("Provider C").partner_id  # no deal: missing, not zero
        q2 = date(2026, 4, 1)
        # A: won 10k (10 days), won 30k (30 days), lost 5k; an open 50k created in Q2
        cls._make_deal(cls.a, 10000, True, q2, date(2026, 4, 11))
        cls._make_deal(cls.a, 30000, True, q2, date(2026, 5, 1))
        cls._make_deal(cls.a, 5000, False, q2, date(2026, 4, 20))
        open_deal = cls.env["crm.lead"].create(
            {
                "name": "Open",
                "type": "opportunity",
                "channel_partner_id": cls.a.id,
                "expected_revenue": 50000,
            }
        )
        open_deal.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = '2026-04-15' WHERE id = %s", [open_deal.id]
        )
        # B: one lost in Q2, one won in Q1 (outside the period)
        cls._make_deal(cls.b, 7000, False, q2, date(2026, 6, 30))
        cls._make_deal(cls.b, 9000, True, date(2026, 1, 5), date(2026, 3, 31))
        cls.provider = cls.env["partner.scorecard.provider"]
        cls.partners = [cls.a.id, cls.b.id, cls.c.id]

    def _values(self, code):
        metric = self.env["scorecard.metric"].new({"code": code, "provider": code})
        return self.provider._compute_metric(metric, self._context_of(self.partners))

    def _context_of(self, partner_ids, company=None):
        return self.provider._metric_context(
            company or self.company, date(2026, 4, 1), date(2026, 6, 30), partner_ids
        )

    def test_win_rate(self):
        values = self._values("crm_win_rate")
        self.assertAlmostEqual(values[self.a.id], 200 / 3)  # 2 won of 3 closed
        self.assertEqual(values[self.b.id], 0.0)
        self.assertNotIn(self.c.id, values)

    def test_average_deal_size_and_sales_cycle(self):
        self.assertEqual(self._values("crm_avg_deal_size"), {self.a.id: 20000.0})
        self.assertEqual(self._values("crm_sales_cycle"), {self.a.id: 20.0})

    def test_qualified_pipeline(self):
        # created in Q2 and not lost: A's two won deals and its open one; B's Q2 deal was lost
        self.assertEqual(self._values("crm_qualified_pipeline"), {self.a.id: 90000.0})

    def test_one_query_per_metric_whatever_the_partner_count(self):
        # 1 and 3 partners: the same count for each provider, a few queries at most
        for code in self.provider._get_providers():
            metric = self.env["scorecard.metric"].create(
                {
                    "code": f"qc_{code}",
                    "name": code,
                    "domain": "sales",
                    "target": 1,
                    "provider": code,
                }
            )
            counts = [
                self._query_count(
                    lambda partners=partners, metric=metric: self.provider._compute_metric(
                        metric, self._context_of(partners)
                    )
                )
                for partners in (self.partners[:1], self.partners)
            ]
            self.assertEqual(counts[0], counts[1], code)
            self.assertLessEqual(counts[1], 3, code)

    def test_certification_count_counts_valid_ones_only(self):
        self.env["partner.certification"].create(
            [
                {
                    "partner_id": self.a.id,
                    "certification_type_id": self.cert_type.id,
                    "date_obtained": date(2026, 1, 10),
                },
                {
                    "partner_id": self.a.id,
                    "certification_type_id": self.cert_type.id,
                    "date_obtained": date(2025, 1, 10),
                },
            ]
        )
        values = self._values("cert_active_count")
        self.assertEqual(values, {self.a.id: 1.0, self.b.id: 0.0, self.c.id: 0.0})
