from collections import defaultdict
from datetime import date

from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestLedger(BillingCommon):
    def _ledger(self, day, groupby=()):
        return self.env["billing.mrr.movement"]._mrr_at(day, groupby)

    def _snapshot(self, day):
        """MRR on ``day`` computed from the subscriptions themselves, not from the ledger."""
        total, by_partner = 0.0, defaultdict(float)
        for subscription in self.env["billing.subscription"].search([]):
            amount = sum(subscription._mrr_by_layer_at(day).values())
            total += amount
            by_partner[subscription.partner_id.id] += amount
        return total, {key: value for key, value in by_partner.items() if value}

    def _movements(self, subscription):
        return [
            (m.date, m.movement_type, m.revenue_layer, m.amount)
            for m in subscription.env["billing.mrr.movement"]
            .search([("subscription_id", "=", subscription.id)])
            .sorted(lambda m: (m.date, m.revenue_layer))
        ]

    def test_sum_of_movements_equals_mrr_at_any_date(self):
        snapshots = {}

        def check(day):
            snapshots[day] = self._snapshot(day)

        s1 = self._subscription(date(2026, 1, 1), customer=self.customer_1)
        check(date(2026, 1, 1))
        hosting = s1.line_ids.filtered(lambda line: line.service_type == "hosting")
        hosting.action_change(date(2026, 2, 1), price_unit=800.0)  # upgrade
        check(date(2026, 2, 1))
        s2 = self._subscription(
            date(2026, 3, 1), customer=self.customer_1, lines=[("support", 100.0)]
        )
        s3 = self._subscription(
            date(2026, 3, 1),
            partner=self.other_partner,
            customer=self.customer_2,
            lines=[("hosting", 400.0), ("implementation", 9000.0)],
        )
        check(date(2026, 3, 1))
        s2.action_close(date(2026, 4, 1))  # customer keeps s1: contraction
        check(date(2026, 4, 1))
        support = s1.line_ids.filtered(lambda line: line.service_type == "support")
        support.action_change(date(2026, 5, 1), price_unit=150.0)  # downgrade
        check(date(2026, 5, 1))
        s1.action_close(date(2026, 6, 1))  # last subscription of the customer: churn
        check(date(2026, 6, 1))
        s4 = self._subscription(
            date(2026, 8, 1), customer=self.customer_1, lines=[("hosting", 300.0)]
        )
        check(date(2026, 8, 1))

        for day, (total, by_partner) in snapshots.items():
            self.assertAlmostEqual(self._ledger(day)[()], total, msg=f"total MRR on {day}")
            ledger_by_partner = {
                key[0].id: value
                for key, value in self._ledger(day, ["partner_id"]).items()
                if value
            }
            self.assertEqual(ledger_by_partner.keys(), by_partner.keys(), day)
            for partner_id, amount in by_partner.items():
                self.assertAlmostEqual(ledger_by_partner[partner_id], amount, msg=f"{day}")
        self.assertEqual(snapshots[date(2026, 5, 1)][0], 800 + 150 + 400)

        self.assertEqual(
            self._movements(s1),
            [
                (date(2026, 1, 1), "new", "application", 200.0),
                (date(2026, 1, 1), "new", "hosting", 500.0),
                (date(2026, 2, 1), "expansion", "hosting", 300.0),
                (date(2026, 5, 1), "contraction", "application", -50.0),
                (date(2026, 6, 1), "churn", "application", -150.0),
                (date(2026, 6, 1), "churn", "hosting", -800.0),
            ],
        )
        self.assertEqual(
            self._movements(s2),
            [
                (date(2026, 3, 1), "expansion", "application", 100.0),
                (date(2026, 4, 1), "contraction", "application", -100.0),
            ],
        )
        # implementation is one-time revenue: never in the ledger
        self.assertEqual(self._movements(s3), [(date(2026, 3, 1), "new", "hosting", 400.0)])
        self.assertEqual(
            self._movements(s4), [(date(2026, 8, 1), "reactivation", "hosting", 300.0)]
        )

    def test_sync_is_idempotent(self):
        subscription = self._subscription()
        count = self.env["billing.mrr.movement"].search_count([])
        subscription._sync_mrr_ledger(date(2026, 1, 1))
        subscription._sync_mrr_ledger(date(2026, 1, 15))
        self.assertEqual(self.env["billing.mrr.movement"].search_count([]), count)

    def test_chartmogul_churn_rates_and_retention(self):
        """Start 100 (four customers of 25), then churn 10, contraction 10, expansion 10."""
        subs = [
            self._subscription(
                date(2026, 1, 1),
                customer=self.env["res.partner"].create({"name": f"Customer {i}"}),
                lines=[("hosting", 25.0)],
            )
            for i in range(4)
        ]
        subs[3].line_ids.action_change(date(2026, 2, 1), price_unit=15.0)  # contraction 10
        subs[2].line_ids.action_change(date(2026, 2, 1), price_unit=35.0)  # expansion 10
        # churn 10: a customer of 10 that was active at the start
        small = self._subscription(
            date(2026, 1, 1),
            customer=self.env["res.partner"].create({"name": "Small"}),
            lines=[("hosting", 10.0)],
        )
        subs[0].line_ids.action_change(date(2026, 1, 1), price_unit=15.0)  # start total stays 100
        small.action_close(date(2026, 2, 1))
        Movement = self.env["billing.mrr.movement"]
        self.assertAlmostEqual(Movement._mrr_at(date(2026, 1, 31))[()], 100.0)
        rates = Movement._churn_rates(date(2026, 1, 31), date(2026, 2, 28))
        self.assertAlmostEqual(rates["start_mrr"], 100.0)
        self.assertAlmostEqual(rates["gross_mrr_churn"], 0.20)
        self.assertAlmostEqual(rates["net_mrr_churn"], 0.10)
        self.assertAlmostEqual(rates["grr"], 0.80)
        self.assertAlmostEqual(rates["nrr"], 0.90)

    def test_net_mrr_churn_subtracts_reactivation(self):
        """ChartMogul: (churn + contraction - expansion - reactivation) / MRR at the start."""
        stays = self._subscription(
            date(2026, 1, 1), customer=self.customer_1, lines=[("hosting", 100.0)]
        )
        returns = self._subscription(
            date(2026, 1, 1), customer=self.customer_2, lines=[("hosting", 50.0)]
        )
        returns.action_close(date(2026, 1, 15))
        stays.line_ids.action_change(date(2026, 2, 10), price_unit=80.0)  # contraction 20
        self._subscription(
            date(2026, 2, 20), customer=self.customer_2, lines=[("hosting", 50.0)]
        )  # reactivation 50
        rates = self.env["billing.mrr.movement"]._churn_rates(date(2026, 1, 31), date(2026, 2, 28))
        self.assertAlmostEqual(rates["start_mrr"], 100.0)
        self.assertAlmostEqual(rates["movements"]["reactivation"], 50.0)
        self.assertAlmostEqual(rates["gross_mrr_churn"], 0.20)
        self.assertAlmostEqual(rates["net_mrr_churn"], -0.30)

    def test_cohort_retention(self):
        january = self._subscription(date(2026, 1, 1), customer=self.customer_1)  # 700
        self._subscription(date(2026, 2, 1), customer=self.customer_2, lines=[("hosting", 400.0)])
        january.line_ids.filtered(lambda line: line.service_type == "support").action_change(
            date(2026, 2, 10), price_unit=0.0
        )
        table = self.env["billing.mrr.movement"]._cohort_retention(date(2026, 3, 31))
        self.assertEqual(table[date(2026, 1, 1)], [1.0, 500 / 700, 500 / 700])
        self.assertEqual(table[date(2026, 2, 1)], [1.0, 1.0])
