from datetime import date

from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceable(BillingCommon):
    def test_product_without_income_account_fails_its_subscription_only(self):
        category = self.env["product.category"].create(
            {"name": "No accounts", "property_account_income_categ_id": False}
        )
        orphan = self._create_product(
            name="Unaccounted advisory",
            type="service",
            categ_id=category.id,
            property_account_income_id=False,
        )
        orphan.taxes_id = False
        self.assertFalse(orphan.product_tmpl_id._get_product_accounts()["income"])
        healthy = self._subscription(date(2026, 1, 1), customer=self.customer_1)
        broken = self._subscription(date(2026, 1, 1), customer=self.customer_2, activate=False)
        broken.line_ids[0].product_id = orphan
        broken.action_activate()

        run = self.env["billing.run"]._run(date(2026, 1, 1))

        self.assertEqual(run.state, "failed")
        by_subscription = {line.subscription_id: line for line in run.line_ids}
        failed = by_subscription[broken]
        self.assertEqual(failed.result, "failed")
        self.assertEqual(
            failed.message,
            f"Product {orphan.display_name} (line {broken.line_ids[0].name} of {broken.name}) has "
            "no income account: set one on the product or its category.",
        )
        self.assertEqual(broken.billing_error, failed.message)
        self.assertFalse(
            self.env["account.move"].search([("billing_subscription_id", "=", broken.id)]),
            "nothing half-written for the broken subscription",
        )
        self.assertFalse(broken.period_ids)
        self.assertFalse(broken.line_ids.filtered("last_date_invoiced"))
        self.assertEqual(by_subscription[healthy].result, "billed")
        self.assertEqual(len(healthy.invoice_ids), 1)
        self.assertEqual(healthy.invoice_ids.amount_untaxed, 700.0)
