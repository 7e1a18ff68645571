from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestDashboardGroups(BillingCommon):
    """Attach rates of the four services and cohorts by vertical, deployment model and partner
    type, on a hand-computed example (window (31 Dec 2025, 31 Mar 2026]).

    - Northwind (white label, vertical Retail): customer 1 from January, hosting 500 + monitoring
      100 on its dedicated tenant (600 every month end); customer 2 from January, support 200 +
      enhancement retainer 300 on its multi-tenant tenant, closed on 1 March (500, 500, 0).
    - Contoso (regional reseller, verticals Retail and Food), no end customer, no tenant: from
      February, hosting 400 (500 from 15 March) and, on a second subscription, an enhancement
      retainer 150 (550, 650).

    Cohort retention: by partner type, white label January [1, 1, 600/1100], reseller February
    [1, 650/550]; by vertical, Retail January [1, 1, 600/1100] and February [1, 650/550], Food
    February [1, 650/550]; by deployment model, dedicated January [1, 1, 1], multi-tenant January
    [1, 1, 0], none February [1, 650/550].
    Attach on 31 March (active subscriptions: customer 1's and Contoso's two): hosting 2/3,
    monitoring 1/3, enhancement 1/3, support 0/3 (customer 2's subscription is closed).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("partner_scorecard.group_channel_manager")
        Vertical = cls.env["partner.vertical"]
        cls.retail = Vertical.create({"name": "H1 Retail"})
        cls.food = Vertical.create({"name": "H1 Food"})
        cls.white_label = cls.env.ref("partner_scorecard.partner_type_white_label")
        cls.reseller = cls.env.ref("partner_scorecard.partner_type_regional_reseller")
        cls.env["partner.membership"].create(
            [
                {
                    "partner_id": cls.channel_partner.id,
                    "partner_type_id": cls.white_label.id,
                    "vertical_ids": [Command.set(cls.retail.ids)],
                },
                {
                    "partner_id": cls.other_partner.id,
                    "partner_type_id": cls.reseller.id,
                    "vertical_ids": [Command.set((cls.retail | cls.food).ids)],
                },
            ]
        )
        cls.dedicated, cls.shared = cls.env["tenant.tenant"].create(
            [
                {
                    "name": "Acme ERP",
                    "partner_id": cls.channel_partner.id,
                    "deployment_model": "dedicated",
                },
                {
                    "name": "Globex ERP",
                    "partner_id": cls.channel_partner.id,
                    "deployment_model": "multi_tenant",
                },
            ]
        )
        cls.s1 = cls._with_services(
            date(2026, 1, 1),
            [("hosting", 500.0), ("monitoring", 100.0)],
            customer=cls.customer_1,
            tenant_id=cls.dedicated.id,
        )
        cls.s2 = cls._with_services(
            date(2026, 1, 1),
            [("support", 200.0), ("enhancement", 300.0)],
            customer=cls.customer_2,
            tenant_id=cls.shared.id,
        )
        cls.s3 = cls._with_services(
            date(2026, 2, 1), [("hosting", 400.0)], partner=cls.other_partner
        )
        cls.s4 = cls._with_services(
            date(2026, 2, 1), [("enhancement", 150.0)], partner=cls.other_partner
        )
        cls.s2.action_close(date(2026, 3, 1))
        cls.s3.line_ids.action_change(date(2026, 3, 15), price_unit=500.0)

    @classmethod
    def _with_services(cls, start, services, partner=None, customer=None, **vals):
        subscription = cls.env["billing.subscription"].create(
            {
                "partner_id": (partner or cls.channel_partner).id,
                "end_customer_id": customer and customer.id,
                "date_start": start,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": (cls.hosting if service == "hosting" else cls.support).id,
                            "service_type": service,
                            "price_unit": price,
                        }
                    )
                    for service, price in services
                ],
                **vals,
            }
        )
        subscription.action_activate()
        return subscription

    def _data(self, cohort_group=False):
        return self.env["billing.dashboard"].get_dashboard_data(
            "2025-12-31", "2026-03-31", cohort_group=cohort_group
        )

    def _groups(self, dimension):
        data = self._data(dimension)
        self.assertEqual(data["cohorts_by"]["dimension"], dimension)
        return {
            group["key"]: (
                group["label"],
                {row["cohort"]: row["retention"] for row in group["rows"]},
            )
            for group in data["cohorts_by"]["groups"]
        }

    def assertRetention(self, got, expected):
        self.assertEqual(set(got), set(expected))
        for cohort, values in expected.items():
            self.assertEqual(len(got[cohort]), len(values), cohort)
            for got_value, value in zip(got[cohort], values, strict=True):
                self.assertAlmostEqual(got_value, value, places=6, msg=cohort)

    def test_attach_rates_of_monitoring_and_enhancement(self):
        data = self._data()
        self.assertEqual(
            data["attach_rates"],
            {"hosting": 2 / 3, "support": 0.0, "monitoring": 1 / 3, "enhancement": 1 / 3},
        )
        self.assertEqual((data["monitoring_attach"], data["enhancement_attach"]), (1 / 3, 1 / 3))
        partners = {row["id"]: row for row in data["partners"]}
        mine, other = partners[self.channel_partner.id], partners[self.other_partner.id]
        self.assertEqual((mine["monitoring_attach"], mine["enhancement_attach"]), (1.0, 0.0))
        self.assertEqual((other["monitoring_attach"], other["enhancement_attach"]), (0.0, 0.5))
        self.assertEqual((other["monitoring"], other["enhancement"]), (0, 1))
        self.assertNotIn("cohorts_by", data, "grouped cohorts only when asked for")

    def test_attach_rate_providers(self):
        """On 28 February, of the active subscriptions (customer 2's is closed since): Northwind's
        one has monitoring; Contoso has the enhancement retainer on one of its two."""
        Provider = self.env["partner.scorecard.provider"]
        context = Provider._metric_context(
            self.env.company,
            date(2026, 2, 1),
            date(2026, 2, 28),
            [self.channel_partner.id, self.other_partner.id],
        )
        expected = {
            "billing_monitoring_attach": {self.channel_partner.id: 100.0, self.other_partner.id: 0},
            "billing_enhancement_attach": {
                self.channel_partner.id: 0.0,
                self.other_partner.id: 50.0,
            },
        }
        for code, values in expected.items():
            metric = self.env.ref(f"recurring_billing.metric_{code}")
            self.assertEqual(metric.provider, code)
            self.assertEqual(Provider._compute_metric(metric, context), values, code)

    def test_cohorts_by_partner_type(self):
        groups = self._groups("partner_type")
        self.assertEqual(set(groups), {self.white_label.id, self.reseller.id})
        self.assertEqual(groups[self.white_label.id][0], self.white_label.display_name)
        self.assertRetention(groups[self.white_label.id][1], {"2026-01-01": [1, 1, 600 / 1100]})
        self.assertRetention(groups[self.reseller.id][1], {"2026-02-01": [1, 650 / 550]})

    def test_cohorts_by_vertical(self):
        groups = self._groups("vertical")
        self.assertEqual(set(groups), {self.retail.id, self.food.id})
        self.assertRetention(
            groups[self.retail.id][1],
            {"2026-01-01": [1, 1, 600 / 1100], "2026-02-01": [1, 650 / 550]},
        )
        self.assertRetention(groups[self.food.id][1], {"2026-02-01": [1, 650 / 550]})

    def test_cohorts_by_deployment_model(self):
        groups = self._groups("deployment_model")
        self.assertEqual(set(groups), {"dedicated", "multi_tenant", False})
        self.assertEqual(groups[False][0], "Not set")
        self.assertRetention(groups["dedicated"][1], {"2026-01-01": [1, 1, 1]})
        self.assertRetention(groups["multi_tenant"][1], {"2026-01-01": [1, 1, 0]})
        self.assertRetention(groups[False][1], {"2026-02-01": [1, 650 / 550]})

    def test_unknown_dimension_is_refused(self):
        with self.assertRaisesRegex(UserError, "vertical, deployment_model, partner_type"):
            self._data("country")

    def test_grouped_cohorts_query_count_does_not_grow_with_the_data(self):
        """Three times the customers (each with its partner, membership, vertical and tenant):
        the same number of queries for each grouping."""

        def add(count):
            for _index in range(count):
                partner = self.env["res.partner"].create(
                    {"name": f"H1 extra {self.env['res.partner'].search_count([])}"}
                )
                self.env["partner.membership"].create(
                    {
                        "partner_id": partner.id,
                        "partner_type_id": self.reseller.id,
                        "vertical_ids": [Command.set(self.food.ids)],
                    }
                )
                tenant = self.env["tenant.tenant"].create(
                    {"name": f"{partner.name} ERP", "partner_id": partner.id}
                )
                self._with_services(
                    date(2026, 2, 1), [("support", 10.0)], partner=partner, tenant_id=tenant.id
                )

        for dimension in ("vertical", "deployment_model", "partner_type"):
            self._data(dimension)  # warm the caches
        add(4)
        at_n = {
            dimension: self._count_queries(lambda d=dimension: self._data(d))[0]
            for dimension in ("vertical", "deployment_model", "partner_type")
        }
        add(8)
        for dimension, queries in at_n.items():
            at_3n, data = self._count_queries(lambda d=dimension: self._data(d))
            self.assertEqual(at_3n, queries, dimension)
        groups = {group["key"]: group for group in data["cohorts_by"]["groups"]}
        self.assertEqual(groups[self.reseller.id]["rows"][0]["retention"][0], 1.0)
