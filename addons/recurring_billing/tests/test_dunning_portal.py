"""Getting paid through the portal, over HTTP: the partner pays an invoice at the suspension
level with the demo provider (saving its payment details) and its tenant comes back; disputes
from the invoice page; a payment that does not match is refused with nothing created; another
partner's invoice is refused."""

import re
from datetime import date
from unittest import SkipTest

from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_dunning import make_policy
from .test_tenant_billing import TenantBillingCommon


class DunningPortalCommon(TenantBillingCommon, HttpCase):
    """Acme's subscription (support 100 + hosting 300) invoiced on 1 April 2026 and dunned to
    its suspension on 16 May; Contoso (another channel partner) has an invoice of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls.env.ref("payment.payment_provider_demo").sudo()
        if demo.code != "demo":
            raise SkipTest("payment_demo is not installed (the test command installs it)")
        cls.provider = demo.copy({"name": "H5 Demo", "state": "test", "company_id": cls.company.id})
        cls.provider.is_published = True
        cls.method = cls.env["payment.method"].search([("code", "=", "demo")], limit=1)
        cls.channel_partner.email = "billing@northwind.example.com"
        make_policy(cls.env, cls.company)
        cls.subscription = cls._subscription(
            start=date(2026, 4, 1),
            customer=cls.customer_1,
            lines=[("support", 100.0)],
            tenant_id=cls.tenant_a.id,
            activate=False,
        )
        cls.env["billing.subscription.line"].create(
            {"subscription_id": cls.subscription.id, "environment_id": cls.env_a.id}
        )
        cls.subscription.action_activate()
        cls.other = cls._subscription(start=date(2026, 4, 1), partner=cls.other_partner)
        with freeze_time("2026-04-01"):
            cls.env["billing.run"]._run(date(2026, 4, 1))
        cls.invoice = cls.subscription.invoice_ids
        cls.other_invoice = cls.other.invoice_ids
        cls.portal_user = new_test_user(
            cls.env, login="h5_portal", password="h5_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.channel_partner
        cls.invoice._portal_ensure_token()
        cls.other_invoice._portal_ensure_token()

    def _dun_to_suspension(self):
        with freeze_time("2026-05-16"):
            self.env["account.move"]._run_dunning(date(2026, 5, 16), invoices=self.invoice)
        self.assertEqual(self.tenant_a.state, "suspended")

    def _pay(self, invoice, amount, access_token=None):
        return self.make_jsonrpc_request(
            f"/invoice/transaction/{invoice.id}",
            {
                "access_token": access_token or invoice.access_token,
                "provider_id": self.provider.id,
                "payment_method_id": self.method.id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": True,
                "landing_route": invoice.get_portal_url(),
            },
        )

    def _csrf(self, page):
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@tagged("post_install", "-at_install")
class TestDunningPortal(DunningPortalCommon):
    def test_paying_on_the_portal_saves_the_card_and_resumes_the_tenant(self):
        self._dun_to_suspension()
        self.authenticate("h5_portal", "h5_portal")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tenants suspended for non-payment", page.text)
        self.assertIn("Acme ERP", page.text)

        processing = self._pay(self.invoice, 400.0)
        tx = self.env["payment.transaction"].search([("reference", "=", processing["reference"])])
        self.assertEqual(tx.invoice_ids, self.invoice)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": tx.reference, "payment_details": "4242", "simulated_state": "done"},
        )
        self.make_jsonrpc_request("/payment/status/poll")  # the status page post-processes
        self.env.invalidate_all()
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.is_post_processed)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        token = tx.token_id
        self.assertTrue(token, "the payment details were saved")
        self.assertEqual(token.partner_id, self.portal_user.partner_id)
        self.assertEqual(self.tenant_a.state, "active", "paid in full: resumed")
        self.assertEqual(self.backend.calls[-1], ("resume", "h1_billing_acme"))
        self.assertTrue(self.invoice.billing_resumed_at)

    def test_a_payment_that_does_not_match_is_refused_with_nothing_created(self):
        self.authenticate("h5_portal", "h5_portal")
        before = self.env["payment.transaction"].search_count([])
        for amount in (400.5, 0.0, -10.0):
            with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as refused:
                self._pay(self.invoice, amount)
            self.assertIn("ValidationError", str(refused.exception))
        self.assertEqual(self.env["payment.transaction"].search_count([]), before)
        self.assertEqual(self.invoice.payment_state, "not_paid")

    def test_the_partner_disputes_its_invoice_and_suspension_waits(self):
        self.authenticate("h5_portal", "h5_portal")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn("billing_dispute_form", page.text)
        url = f"/my/invoices/{self.invoice.id}/dispute"
        empty = self.url_open(url, data={"csrf_token": self._csrf(page), "reason": " "})
        self.assertEqual(empty.status_code, 200)
        self.assertFalse(self.invoice.billing_dispute, "no reason, no dispute")
        self.url_open(url, data={"csrf_token": self._csrf(page), "reason": "Support billed twice"})
        self.env.invalidate_all()
        self.assertTrue(self.invoice.billing_dispute)
        self.assertEqual(self.invoice.billing_dispute_reason, "Support billed twice")
        self.assertEqual(self.invoice.billing_dispute_by_id, self.portal_user)
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn("You dispute this invoice", page.text)
        with freeze_time("2026-05-16"):
            self.env["account.move"]._run_dunning(date(2026, 5, 16), invoices=self.invoice)
        self.assertEqual(self.tenant_a.state, "active", "no suspension while disputed")

    def test_another_partners_invoice_is_refused(self):
        self.authenticate("h5_portal", "h5_portal")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        csrf = self._csrf(page)
        other = self.url_open(f"/my/invoices/{self.other_invoice.id}", allow_redirects=False)
        self.assertIn(other.status_code, (302, 303, 403, 404))
        self.assertNotIn("Contoso", other.text)
        dispute = self.url_open(
            f"/my/invoices/{self.other_invoice.id}/dispute",
            data={"csrf_token": csrf, "reason": "not mine"},
        )
        self.assertEqual(dispute.status_code, 404)
        self.assertFalse(self.other_invoice.billing_dispute)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._pay(self.other_invoice, 700.0, access_token=self.invoice.access_token)
        self.assertFalse(self.other_invoice.transaction_ids)


@tagged("post_install", "-at_install")
class TestDunningPortalTour(DunningPortalCommon):
    def test_pay_a_suspended_invoice_in_the_browser(self):
        self._dun_to_suspension()
        self.portal_user.password = "h5_portal"
        self.start_tour(
            self.invoice.get_portal_url(), "recurring_billing_dunning_pay_tour", login="h5_portal"
        )
        self.env.invalidate_all()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.tenant_a.state, "active")
        self.assertTrue(self.invoice.transaction_ids.token_id, "the card was saved")
