from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestDashboard(BillingCommon):
    """The dashboard's figures on a window hand-computed below.

    Window (31 Jan, 31 Mar 2026]: at the start customer 1 brings 700 (hosting 500, support 200,
    both with a resale price) and customer 2 brings 300 (support); in February another partner
    starts 400 of hosting (new) and customer 1's hosting goes to 600 (expansion 100); on 1 March
    customer 2 leaves (churn 300). End MRR 1,200.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s1 = cls._subscription(date(2026, 1, 1), customer=cls.customer_1)
        cls.s1.line_ids.filtered(lambda line: line.service_type == "hosting").resale_price = 650
        cls.s1.line_ids.filtered(lambda line: line.service_type == "support").resale_price = 260
        cls.s2 = cls._subscription(
            date(2026, 1, 1), customer=cls.customer_2, lines=[("support", 300.0)]
        )
        cls.s3 = cls._subscription(
            date(2026, 2, 1), partner=cls.other_partner, lines=[("hosting", 400.0)]
        )
        cls.s1.line_ids.filtered(lambda line: line.service_type == "hosting").action_change(
            date(2026, 2, 15), price_unit=600.0
        )
        cls.s2.action_close(date(2026, 3, 1))

    def _data(self):
        return self.env["billing.dashboard"].get_dashboard_data("2026-01-31", "2026-03-31")

    def test_figures_of_the_window(self):
        data = self._data()
        self.assertEqual((data["date_from"], data["date_to"]), ("2026-01-31", "2026-03-31"))
        self.assertAlmostEqual(data["start_mrr"], 1000.0)
        self.assertAlmostEqual(data["mrr"], 1200.0)
        self.assertAlmostEqual(data["arr"], 14400.0)
        self.assertAlmostEqual(data["mrr_growth"], 0.2)
        self.assertEqual(data["mrr_by_layer"], {"application": 200.0, "hosting": 1000.0})
        self.assertEqual(
            [(point["date"], point["mrr"]) for point in data["series"]],
            [("2026-01-31", 1000.0), ("2026-02-28", 1500.0), ("2026-03-31", 1200.0)],
        )
        self.assertEqual(
            data["movements"],
            {"new": 400.0, "expansion": 100.0, "contraction": 0.0, "churn": -300.0,
             "reactivation": 0.0},
        )  # fmt: skip
        # the bars of the movements chart: one group per month, churn below zero
        by_month = {row["month"]: row["by_type"] for row in data["movements_by_month"]}
        self.assertEqual(list(by_month), ["2026-02-01", "2026-03-01"])
        self.assertEqual(
            sum(row["churn"] for row in by_month.values()), -300.0, "churn drawn below zero"
        )
        self.assertEqual(
            {kind: sum(row[kind] for row in by_month.values()) for kind in data["movements"]},
            data["movements"],
            "the monthly bars add up to the window's movements",
        )
        self.assertAlmostEqual(data["gross_mrr_churn"], 0.3)
        self.assertAlmostEqual(data["net_mrr_churn"], 0.2)
        self.assertAlmostEqual(data["grr"], 0.7)  # min(700, 800) + min(300, 0) over 1,000
        self.assertAlmostEqual(data["nrr"], 0.8)
        cohorts = {row["cohort"]: row["retention"] for row in data["cohorts"]["rows"]}
        self.assertEqual(list(cohorts), ["2026-01-01", "2026-02-01"])
        for got, expected in zip(cohorts["2026-01-01"], [1.0, 1.1, 0.8], strict=True):
            self.assertAlmostEqual(got, expected)
        self.assertEqual(cohorts["2026-02-01"], [1.0, 1.0])
        self.assertEqual(data["cohorts"]["ages"], 3)

        partners = {row["id"]: row for row in data["partners"]}
        self.assertEqual(list(partners), [self.channel_partner.id, self.other_partner.id])
        mine = partners[self.channel_partner.id]
        self.assertEqual(mine["name"], self.channel_partner.display_name)
        self.assertEqual(mine["subscriptions"], 1, "the closed subscription no longer counts")
        self.assertEqual((mine["hosting_attach"], mine["support_attach"]), (1.0, 1.0))
        self.assertAlmostEqual(mine["mrr"], 800.0)
        self.assertAlmostEqual(mine["margin"], (650 - 600) + (260 - 200))
        self.assertAlmostEqual(mine["margin_rate"], 110 / 910)
        other = partners[self.other_partner.id]
        self.assertEqual((other["hosting_attach"], other["support_attach"]), (1.0, 0.0))
        self.assertAlmostEqual(other["mrr"], 400.0)
        self.assertEqual(other["margin"], 0.0)
        self.assertIsNone(other["margin_rate"], "no resale price shared: no margin rate")
        self.assertEqual((data["hosting_attach"], data["support_attach"]), (1.0, 0.5))
        self.assertAlmostEqual(data["margin"], 110.0)
        self.assertEqual(data["currency_id"], self.company.currency_id.id)
        self.assertEqual(data["labels"]["movements"]["churn"], "Churn")

    def _add_subscriptions(self, count):
        for _index in range(count):
            self._extra = getattr(self, "_extra", 0) + 1
            partner, customer = self.env["res.partner"].create(
                [
                    {"name": f"Extra partner {self._extra}", "is_company": True},
                    {"name": f"Extra {self._extra}"},
                ]
            )
            self._subscription(
                date(2026, 2, 1), partner=partner, customer=customer, lines=[("support", 10.0)]
            )

    def test_query_count_does_not_grow_with_the_data(self):
        """The same number of queries with n and 3n more partners and subscriptions (not an
        exact pin, which any Odoo patch release may move), under a generous ceiling."""
        self._data()  # warm the caches of the registry and the ORM
        self._add_subscriptions(5)
        at_n, data = self._count_queries(self._data)
        self.assertAlmostEqual(data["mrr"], 1250.0)
        self._add_subscriptions(10)
        at_3n, data = self._count_queries(self._data)
        self.assertAlmostEqual(data["mrr"], 1350.0)
        self.assertEqual(len(data["partners"]), 17)
        self.assertEqual(at_n, at_3n, "not one query more for three times the partners")
        self.assertLessEqual(at_3n, 40, "a fixed handful of grouped queries")

    # 23:30 UTC is already the next day in Brussels, where the reader works
    @freeze_time("2026-03-20 23:30:00")
    def test_bad_window_and_access(self):
        with self.assertRaisesRegex(UserError, "pick a From date before the To date"):
            self.env["billing.dashboard"].get_dashboard_data("2026-03-31", "2026-01-31")
        outsider = new_test_user(self.env, login="billing_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["billing.dashboard"].with_user(outsider).get_dashboard_data()
        # a channel user reads it, with today's window by default
        reader = new_test_user(
            self.env,
            login="billing_reader",
            groups="base.group_user,partner_scorecard.group_channel_user",
            company_id=self.company.id,
            tz="Europe/Brussels",
        )
        data = self.env["billing.dashboard"].with_user(reader).get_dashboard_data()
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-03-21", "2026-03-21"))
