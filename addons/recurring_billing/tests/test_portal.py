from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestPortal(BillingCommon, HttpCase):
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
