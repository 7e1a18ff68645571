from datetime import date

from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestPortalPages(BillingCommon, HttpCase):
    """A subscription's portal page names the subscription in its breadcrumb, whatever it lists
    (its invoices used to leak into it), and its tables have headers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._subscription(
            date(2026, 1, 1), customer=cls.customer_1, name="Pages Hosting Stack"
        )
        cls.env["billing.run"]._run(date(2026, 3, 15))  # January to March invoiced
        cls.portal_user = new_test_user(
            cls.env, login="pages_portal", password="pages_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.channel_partner

    def _page(self, url):
        self.authenticate("pages_portal", "pages_portal")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    @staticmethod
    def _crumbs(page):
        items = page.xpath("//ol[contains(@class, 'breadcrumb')]/li")
        return [li.text_content().strip() for li in items]

    def test_subscription_breadcrumb_ends_with_the_subscription(self):
        page = self._page(f"/my/subscriptions/{self.subscription.id}")
        invoices = page.xpath("//table[contains(@class, 'o_subscription_invoices')]/tbody/tr")
        self.assertEqual(len(invoices), 3)
        self.assertEqual(self._crumbs(page)[-2:], ["Subscriptions", "Pages Hosting Stack"])
        for table in page.xpath("//table"):
            self.assertTrue(table.xpath("./thead/tr/th"), table.get("class"))

    def test_subscriptions_list_breadcrumb_and_chart(self):
        page = self._page("/my/subscriptions")
        self.assertEqual(self._crumbs(page)[-1], "Subscriptions")
        # the figures for Chart.js, and the server-drawn SVG kept for browsers without scripts
        chart = page.xpath("//div[contains(@class, 'o_portal_chart')]")[0]
        self.assertIn('"kind": "line"', chart.get("data-chart"))
        self.assertTrue(chart.xpath(".//*[local-name()='svg']"))
