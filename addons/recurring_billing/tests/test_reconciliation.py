from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestReconciliation(BillingCommon):
    """The ledger against the posted accounting, per subscription and billing period."""

    def _compare(self, subscriptions=None, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)):
        rows = self.env["billing.reconciliation"]._compare(date_from, date_to, subscriptions)
        return [
            {
                key: row[key]
                for key in ("subscription_id", "period_start", "expected", "invoiced", "difference")
            }
            for row in rows
        ], rows

    def _billed_april(self):
        subscription = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        self._run(date(2026, 4, 1))
        self.assertFalse(self._compare(subscription)[0], "billed as the ledger says")
        return subscription, subscription.invoice_ids

    def test_ledger_matches_invoices_and_lists_differences(self):
        billed = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        unbilled = self._subscription(
            start=date(2026, 4, 1), customer=self.customer_2, lines=[("support", 90.0)]
        )
        self.env["billing.run"]._run(date(2026, 4, 1), subscription_ids=billed.ids)
        billed.line_ids.action_change(date(2026, 4, 16), price_unit=600.0)
        self.env["billing.run"]._run(date(2026, 4, 16), subscription_ids=billed.ids)

        rows, full = self._compare()
        self.assertEqual(
            rows,
            [
                {
                    "subscription_id": unbilled.id,
                    "period_start": date(2026, 4, 1),
                    "expected": 90.0,
                    "invoiced": 0.0,
                    "difference": -90.0,
                }
            ],
            "the upgraded subscription reconciles to the cent (150 + 300 prorated)",
        )
        self.assertEqual(full[0]["invoices"], "", "no invoice at all for that period")
        self.env["billing.run"]._run(date(2026, 4, 1), subscription_ids=unbilled.ids)
        self.assertFalse(self._compare()[0])

        wizard = self.env["billing.reconciliation"].create(
            {"date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
        )
        wizard.action_compute()
        self.assertEqual(wizard.difference_count, 2, "May is not invoiced yet")
        self.assertAlmostEqual(wizard.expected_total, 690.0)

    def test_hand_edit_of_a_posted_line_is_named(self):
        subscription, invoice = self._billed_april()
        invoice.button_draft()
        invoice.write(
            {
                "invoice_line_ids": [
                    Command.update(invoice.invoice_line_ids.id, {"price_unit": 250.0})
                ]
            }
        )
        rows, full = self._compare(subscription)
        self.assertEqual(rows[0]["invoiced"], 0.0, "reset to draft: not in the books")
        self.assertIn(f"{invoice.name} (Draft)", full[0]["invoices"])
        invoice.action_post()
        rows, full = self._compare(subscription)
        self.assertEqual(
            rows,
            [
                {
                    "subscription_id": subscription.id,
                    "period_start": date(2026, 4, 1),
                    "expected": 300.0,
                    "invoiced": 250.0,
                    "difference": -50.0,
                }
            ],
        )
        self.assertEqual(full[0]["move_ids"], invoice.ids)
        self.assertEqual(full[0]["invoices"], f"{invoice.name} (Posted)")

    def test_credit_note_made_by_hand_is_named(self):
        subscription, invoice = self._billed_april()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": date(2026, 4, 20)})
        )
        reversal.refund_moves()
        refund = invoice.reversal_move_ids
        refund.action_post()
        rows, full = self._compare(subscription)
        self.assertEqual(rows[0]["invoiced"], 0.0)
        self.assertEqual(rows[0]["difference"], -300.0)
        self.assertEqual(set(full[0]["move_ids"]), set((invoice | refund).ids))
        self.assertIn(refund.name, full[0]["invoices"])

    def test_cancelled_invoice_is_named(self):
        subscription, invoice = self._billed_april()
        invoice.button_draft()
        invoice.button_cancel()
        rows, full = self._compare(subscription)
        self.assertEqual(rows[0]["difference"], -300.0)
        self.assertEqual(full[0]["invoices"], f"{invoice.name} (Cancelled)")
