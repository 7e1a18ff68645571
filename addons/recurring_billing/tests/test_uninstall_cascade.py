from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestUninstallCascade(BillingCommon):
    """A billed period points to its invoice through a cascading key (the demo's invoices go with
    the module's uninstall); a user deleting a draft invoice that bills periods is refused, so the
    periods are not billed a second time."""

    def test_a_draft_invoice_that_bills_periods_cannot_be_deleted(self):
        self.company.billing_auto_post = False
        subscription = self._subscription()
        self._run(date(2026, 1, 1))
        invoice = subscription.invoice_ids
        self.assertEqual(invoice.state, "draft")
        with self.assertRaisesRegex(UserError, "cannot be deleted: .*Billed Subscription Period"):
            invoice.unlink()
        self.assertTrue(invoice.exists())
        self._run(date(2026, 1, 1))
        self.assertEqual(subscription.invoice_ids, invoice, "January is not billed again")
