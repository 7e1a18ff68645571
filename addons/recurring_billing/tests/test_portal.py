from datetime import date

from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.partner_scorecard.tests.readonly import ReadOnlyRouteMixin

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestPortal(ReadOnlyRouteMixin, BillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._subscription(date(2026, 1, 1), customer=cls.customer_1)
        cls.foreign = cls._subscription(
            date(2026, 1, 1), partner=cls.other_partner, customer=cls.customer_2
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="northwind_portal",
            password="northwind_portal",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.channel_partner
        cls.other_portal_user = new_test_user(
            cls.env,
            login="contoso_portal",
            password="contoso_portal",
            groups="base.group_portal",
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_partner

    def test_orm_isolation(self):
        env = self.env(user=self.portal_user)
        self.assertEqual(env["billing.subscription"].search([]), self.own)
        self.assertEqual(
            env["billing.mrr.movement"].search([]).subscription_id,
            self.own,
            "ledger figures of other partners stay hidden",
        )
        self.assertEqual(env["billing.subscription.line"].search([]).subscription_id, self.own)

    def test_http_isolation(self):
        self.authenticate("northwind_portal", "northwind_portal")
        response = self.url_open("/my/subscriptions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        self.assertNotIn(self.foreign.name, response.text)
        self.assertIn("o_billing_mrr_chart", response.text)
        detail = self.url_open(f"/my/subscriptions/{self.own.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("Managed hosting M", detail.text)
        other = self.url_open(f"/my/subscriptions/{self.foreign.id}")
        self.assertNotIn(self.foreign.name, other.text)
        self.assertTrue(other.url.endswith("/my"), "another partner's subscription redirects")

    def test_subscription_pages_are_read_only(self):
        self.authenticate("northwind_portal", "northwind_portal")
        self.assertReadOnlyPage("/my/subscriptions", self.own.name)
        self.assertReadOnlyPage(f"/my/subscriptions/{self.own.id}", "Managed hosting M")

    def test_http_other_partners_user_is_turned_away(self):
        """Contoso's portal user asks for Northwind's subscription by its URL, with or without a
        made-up token: sent back to the portal home, nothing of the subscription shown."""
        self.authenticate("contoso_portal", "contoso_portal")
        url = f"/my/subscriptions/{self.own.id}"
        for query in ("", "?access_token=forged"):
            response = self.url_open(url + query, allow_redirects=False)
            self.assertEqual(response.status_code, 303, query)
            self.assertTrue(response.headers["Location"].endswith("/my"), query)
            self.assertNotIn(self.own.name, self.url_open(url + query).text)
        missing = self.url_open("/my/subscriptions/999999999", allow_redirects=False)
        self.assertEqual(missing.status_code, 303)
        listing = self.url_open("/my/subscriptions")
        self.assertIn(self.foreign.name, listing.text)
        self.assertNotIn(self.own.name, listing.text)


@freeze_time("2026-03-20 10:00:00")
@tagged("post_install", "-at_install")
class TestPortalTour(BillingCommon, HttpCase):
    """A partner's portal user follows its subscriptions in a browser (the tour in
    static/tests/tours/portal_subscription_tour.js). The clock is set: the chart covers the twelve
    months before "today", and its shape depends on where the subscriptions start in them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._subscription(
            date(2026, 1, 1), customer=cls.customer_1, name="Tour Hosting Stack"
        )
        cls._subscription(
            date(2026, 1, 1),
            partner=cls.other_partner,
            lines=[("hosting", 333.0)],
            name="Tour Foreign Stack",
        )
        cls.env["billing.run"]._run(date(2026, 3, 15))  # January to March invoiced
        cls.portal_user = new_test_user(
            cls.env, login="tour_portal", password="tour_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.channel_partner

    def _chart(self):
        return self.env["billing.mrr.movement"]._portal_mrr_chart(self.channel_partner)

    def test_portal_user_sees_subscription_lines_next_invoice_and_chart(self):
        self.assertEqual(self.subscription.next_invoice_date, date(2026, 4, 1))
        self.assertEqual(len(self.subscription.invoice_ids), 3)
        values = [dot["value"] for dot in self._chart()["dots"]]
        self.assertEqual(values[:9], [0.0] * 9)  # April to December 2025: nothing yet
        self.assertEqual(values[9:], [700.0] * 3)  # January to March 2026
        self.start_tour("/my", "recurring_billing_portal_tour", login="tour_portal")

    def test_steady_revenue_is_drawn_visibly(self):
        """A year and more later the partner's MRR has not moved: the chart is a flat line at 700,
        still drawn (the area under it has height), and the tour passes the same way."""
        with freeze_time("2027-06-15 10:00:00"):
            chart = self._chart()
            self.assertEqual({dot["value"] for dot in chart["dots"]}, {700.0})
            self.assertEqual(len({dot["y"] for dot in chart["dots"]}), 1)
            self.start_tour("/my", "recurring_billing_portal_tour", login="tour_portal")
