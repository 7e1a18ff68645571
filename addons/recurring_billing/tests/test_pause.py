from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestPause(BillingCommon):
    """A pause stops service, billing and MRR from its date (readme/USAGE.md): the unused days
    already invoiced are credited, the paused days are never billed, the ledger shows the MRR
    leaving on the pause date and coming back on the resume date."""

    def _movements(self, subscription):
        return [
            (m.date, m.movement_type, m.amount)
            for m in self.env["billing.mrr.movement"]
            .search([("subscription_id", "=", subscription.id)])
            .sorted(lambda m: (m.date, m.id))
        ]

    def _billed(self, subscription):
        """Invoices minus credit notes, untaxed, of the subscription."""
        return sum(
            move.amount_untaxed * (-1 if move.move_type == "out_refund" else 1)
            for move in subscription.invoice_ids
        )

    def test_pause_credits_unused_days_and_resume_bills_from_its_date(self):
        subscription = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        self._run(date(2026, 4, 1))
        subscription.action_pause(date(2026, 4, 21))
        self.assertEqual(subscription.state, "paused")
        credit = self._run(date(2026, 4, 21))
        refund = credit.line_ids.move_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(refund.amount_untaxed, 100.0, msg="21-30 April: 10 of 30 days")
        self.assertFalse(self._run(date(2026, 5, 1)).line_ids, "nothing billed while paused")
        subscription.action_resume(date(2026, 5, 11))
        self.assertEqual(subscription.state, "active")
        self._run(date(2026, 5, 11))
        charge = subscription.invoice_ids.sorted("id")[-1]
        self.assertAlmostEqual(charge.amount_untaxed, 300.0 * 21 / 31, places=2)
        self.assertAlmostEqual(self._billed(subscription), 200.0 + 300.0 * 21 / 31, places=2)
        self.assertEqual(
            self._movements(subscription),
            [
                (date(2026, 4, 1), "new", 300.0),
                (date(2026, 4, 21), "churn", -300.0),
                (date(2026, 5, 11), "reactivation", 300.0),
            ],
        )
        self.assertFalse(
            self.env["billing.reconciliation"]._compare(
                date(2026, 4, 1), date(2026, 5, 31), subscription
            ),
            "billed days and ledger days are the same days",
        )

    def test_resume_before_the_credit_run_issues_the_credit_first(self):
        subscription = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        self._run(date(2026, 4, 1))
        subscription.action_pause(date(2026, 4, 21))
        subscription.action_resume(date(2026, 4, 26))
        refund = subscription.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertAlmostEqual(refund.amount_untaxed, 100.0)
        self._run(date(2026, 4, 26))
        self.assertAlmostEqual(self._billed(subscription), 250.0, msg="25 of 30 days served")
        self.assertFalse(
            self.env["billing.reconciliation"]._compare(
                date(2026, 4, 1), date(2026, 4, 30), subscription
            )
        )

    def test_pause_of_a_customer_with_another_subscription_is_contraction(self):
        paused = self._subscription(customer=self.customer_1, lines=[("hosting", 300.0)])
        self._subscription(customer=self.customer_1, lines=[("support", 100.0)])
        paused.action_pause(date(2026, 2, 1))
        paused.action_resume(date(2026, 3, 1))
        self.assertEqual(
            [kind for _d, kind, _a in self._movements(paused)], ["new", "contraction", "expansion"]
        )

    def test_bad_pause_and_resume_dates(self):
        subscription = self._subscription(start=date(2026, 4, 1))
        with self.assertRaisesRegex(UserError, "pause it on or after"):
            subscription.action_pause(date(2026, 3, 1))
        subscription.action_pause(date(2026, 4, 10))
        with self.assertRaisesRegex(UserError, "resume it on or after"):
            subscription.action_resume(date(2026, 4, 9))


@tagged("post_install", "-at_install")
class TestMrrOnItsDate(BillingCommon):
    """The stored MRR is the MRR of today: a change dated in the future takes effect on its day
    (the daily billing run recomputes the subscriptions whose next change has come)."""

    def test_future_price_change_pause_and_end_take_effect_on_their_date(self):
        Run = self.env["billing.run"]
        with freeze_time("2026-04-10"):
            subscription = self._subscription(start=date(2026, 1, 1), lines=[("hosting", 500.0)])
            subscription.line_ids.action_change(date(2026, 4, 20), price_unit=800.0)
            subscription.action_close(date(2026, 6, 1))
            self.assertEqual(subscription.state, "closed")
            self.assertEqual(subscription.mrr, 500.0, "served until 31 May")
            self.assertEqual(subscription.mrr_next_change, date(2026, 4, 20))
        with freeze_time("2026-04-20"):
            Run._cron_invoice(date(2026, 4, 20))
            self.assertEqual(subscription.mrr, 800.0)
            self.assertEqual(subscription.arr, 9600.0)
            self.assertEqual(subscription.mrr_next_change, date(2026, 6, 1))
        with freeze_time("2026-06-01"):
            Run._cron_invoice(date(2026, 6, 1))
            self.assertEqual(subscription.mrr, 0.0)
            self.assertFalse(subscription.mrr_next_change)

    def test_future_pause(self):
        with freeze_time("2026-04-10"):
            subscription = self._subscription(start=date(2026, 1, 1), lines=[("hosting", 500.0)])
            subscription.action_pause(date(2026, 5, 1))
            self.assertEqual(subscription.mrr, 500.0)
        with freeze_time("2026-05-01"):
            self.env["billing.run"]._cron_invoice(date(2026, 5, 1))
            self.assertEqual(subscription.mrr, 0.0)
