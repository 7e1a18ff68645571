from datetime import date, datetime

from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from .test_tier_discount import TierDiscountCommon


@tagged("post_install", "-at_install")
class TestTierDiscountMargin(TierDiscountCommon):
    """The partner's margin counts what it pays: the wholesale after its tier discount in force,
    from the first billing period that starts on or after the tier change, never before.

    Hand figures: hosting 500.00 resold 800.00 and support 200.00 resold 300.00 a month, the
    subscription resold 1,500.00 a month. Silver (5 %): the partner pays 475.00 + 190.00 =
    665.00, line margins 325.00 and 110.00, subscription margin 835.00. Gold (12.5 %): it pays
    437.50 + 175.00 = 612.50, line margins 362.50 and 125.00, subscription margin 887.50.
    """

    def setUp(self):
        super().setUp()
        with freeze_time("2026-01-01 10:00:00"):
            self.subscription = self._subscription()
            hosting, support = self.subscription.line_ids.sorted(lambda x: x.service_type)
            self.hosting, self.support = hosting, support
            self.hosting.resale_price = 800.0
            self.support.resale_price = 300.0
            self.subscription._workflow_write(
                {
                    "resale_price": 1500.0,
                    "resale_price_date": datetime(2026, 1, 1, 10, 0),
                    "resale_price_by_id": self.env.uid,
                }
            )

    def _margins(self):
        return (
            self.subscription.tier_discount,
            self.hosting.margin,
            self.support.margin,
            self.subscription.paid_wholesale_mrr,
            self.subscription.resale_margin,
        )

    def _dashboard_margin(self, day):
        with freeze_time(day):
            data = self.env["billing.dashboard"].get_dashboard_data("2026-01-01", day)
        partners = {row["id"]: row for row in data["partners"]}
        return partners[self.channel_partner.id]["margin"]

    def test_the_margin_uses_the_discounted_wholesale_from_the_next_period(self):
        self.assertEqual(self.subscription.wholesale_mrr, 700.0, "the list wholesale")
        self.assertEqual(self._margins(), (5.0, 325.0, 110.0, 665.0, 835.0), "Silver")
        self._run(date(2026, 1, 1))
        self._run(date(2026, 2, 1))
        # Gold from February 15th: February started at Silver, its margin stays Silver's
        self._upgrade_on(datetime(2026, 2, 15, 10, 0))
        self.assertEqual(self._margins(), (5.0, 325.0, 110.0, 665.0, 835.0), "not retroactive")
        # the dashboard counts the price the partner shares per subscription
        self.assertAlmostEqual(self._dashboard_margin("2026-02-20"), 1500.0 - 665.0)
        # March is billed at Gold: from then on the partner pays 612.50
        self._run(date(2026, 3, 1))
        march = self.subscription.invoice_ids.sorted("invoice_date")[-1]
        self.assertEqual(march.amount_untaxed, 612.5)
        self.assertEqual(self._margins(), (12.5, 362.5, 125.0, 612.5, 887.5), "Gold")
        self.assertAlmostEqual(self.subscription.resale_margin_rate, 59.2, places=1)
        self.assertAlmostEqual(self._dashboard_margin("2026-03-15"), 1500.0 - 612.5)

    def test_a_change_on_the_period_start_applies_to_that_period(self):
        self._run(date(2026, 1, 1))
        self._upgrade_on(datetime(2026, 2, 1, 8, 0))
        self.assertEqual(self._margins(), (12.5, 362.5, 125.0, 612.5, 887.5))

    def test_a_subscription_created_at_gold_counts_gold(self):
        self._upgrade_on(datetime(2026, 1, 20, 8, 0))
        with freeze_time("2026-04-03 10:00:00"):
            later = self._subscription(start=date(2026, 4, 1), activate=False)
        self.assertEqual(later.tier_discount, 12.5)
        self.assertEqual(later.paid_wholesale_mrr, 612.5)


@freeze_time("2026-03-02 10:00:00")
@tagged("post_install", "-at_install")
class TestTierDiscountMarginPortal(TierDiscountCommon, HttpCase):
    """The partner reads on its portal what it pays and its margin after its Gold discount."""

    def test_the_portal_shows_the_paid_wholesale_and_the_margin(self):
        subscription = self._subscription(start=date(2026, 1, 1))
        self._upgrade_on(datetime(2026, 1, 20, 8, 0))
        self._run(date(2026, 3, 1))
        contact = self.env["res.partner"].create(
            {"name": "Margin Reader", "parent_id": self.channel_partner.id}
        )
        user = new_test_user(
            self.env,
            login="h4_margin_portal",
            password="h4_margin_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        subscription.with_user(user).action_set_resale_price("1500")
        self.authenticate("h4_margin_portal", "h4_margin_portal")
        page = self.url_open(f"/my/subscriptions/{subscription.id}").text
        self.assertIn("You pay per month", page)
        self.assertIn("612.50", page)
        self.assertIn("887.50", page, "1,500.00 less the 612.50 it pays")
        self.assertIn("59.2 %", page)
