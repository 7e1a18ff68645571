import threading
from datetime import date

from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import BillingCommon


@tagged("post_install", "-at_install")
class TestInvoicing(BillingCommon):
    def test_backlog_is_caught_up_one_invoice_per_period(self):
        subscription = self._subscription(
            lines=[("hosting", 500.0), ("support", 200.0), ("implementation", 3000.0)]
        )
        run = self._run(date(2026, 3, 15))
        self.assertEqual(run.billed_count, 1)
        moves = subscription.invoice_ids.sorted("invoice_date")
        self.assertEqual(len(moves), 3, "January, February and March, one invoice each")
        self.assertEqual(moves.mapped("state"), ["posted"] * 3)
        self.assertEqual(moves.mapped("move_type"), ["out_invoice"] * 3)
        self.assertEqual(
            moves.mapped("invoice_date"), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
        )
        self.assertEqual(moves.mapped("amount_untaxed"), [3700.0, 700.0, 700.0])
        self.assertEqual(moves.partner_id, self.channel_partner)
        self.assertEqual(len(moves[0].invoice_line_ids), 3, "one line per subscription line")
        # the service period is on each line
        self.assertIn("02/01/2026 - 02/28/2026", moves[1].invoice_line_ids[0].name)
        self.assertEqual(subscription.next_invoice_date, date(2026, 4, 1))
        hosting_line = subscription.line_ids.filtered(lambda line: line.service_type == "hosting")
        self.assertEqual(hosting_line.last_date_invoiced, date(2026, 3, 31))

    def test_run_twice_bills_nothing_more(self):
        subscription = self._subscription()
        self._run(date(2026, 2, 1))
        self.assertEqual(len(subscription.invoice_ids), 2)
        second = self._run(date(2026, 2, 1))
        self.assertEqual(len(subscription.invoice_ids), 2)
        self.assertFalse(second.line_ids, "the subscription is no longer due")
        # forced on that subscription, it is skipped with a reason
        forced = self.env["billing.run"]._run(date(2026, 2, 1), subscription_ids=subscription.ids)
        self.assertEqual(forced.line_ids.result, "skipped")
        self.assertEqual(len(subscription.invoice_ids), 2)

    def test_stale_worker_is_stopped_by_the_unique_constraint(self):
        """A worker that read the high-water mark before another one billed must not bill the
        period again: the unique (line, period start) constraint fails in its savepoint."""
        subscription = self._subscription()
        self._run(date(2026, 1, 1))
        self.assertEqual(len(subscription.invoice_ids), 1)
        # simulate the stale snapshot of a second worker
        self.env.cr.execute(
            "UPDATE billing_subscription_line SET last_date_invoiced = NULL "
            "WHERE subscription_id = %s",
            [subscription.id],
        )
        self.env.invalidate_all()
        with mute_logger("odoo.sql_db"):
            run = self.env["billing.run"]._run(date(2026, 1, 1), subscription_ids=subscription.ids)
        self.assertEqual(run.line_ids.result, "skipped")
        self.assertIn("Already billed", run.line_ids.message)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("billing_subscription_id", "=", subscription.id)]
            ),
            1,
        )

    def test_two_cursors_concurrently(self):
        subscriptions = self._subscription() | self._subscription(customer=self.customer_1)
        self.env.flush_all()
        # test cursors share the test transaction, so both workers see the test's data
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        results = []

        def worker():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.env.uid, {"allowed_company_ids": [self.company.id]})
                run = env["billing.run"]._run(date(2026, 3, 1))
                results.append(len(run.line_ids.filtered(lambda line: line.result == "billed")))

        threads = [threading.Thread(target=worker) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.env.invalidate_all()
        self.assertEqual(sorted(results), [0, 2], "each subscription billed by one worker only")
        for subscription in subscriptions:
            self.assertEqual(len(subscription.invoice_ids), 3)
        periods = self.env["billing.invoice.period"].search(
            [("subscription_id", "in", subscriptions.ids)]
        )
        self.assertEqual(len(periods), 12, "2 subscriptions x 2 lines x 3 months, no duplicate")

    def test_failure_in_the_middle_of_a_run(self):
        eur = self.setup_other_currency("EUR")
        first = self._subscription(start=date(2026, 1, 1))
        broken = self._subscription(start=date(2026, 1, 2), currency_id=eur.id)
        last = self._subscription(start=date(2026, 1, 3))
        run = self._run(date(2026, 1, 10))
        self.assertEqual(run.state, "failed")
        results = {line.subscription_id: line.result for line in run.line_ids}
        self.assertEqual(results, {first: "billed", broken: "failed", last: "billed"})
        self.assertIn("EUR", broken.billing_error)
        self.assertFalse(broken.invoice_ids, "nothing half-written")
        self.assertFalse(any(broken.line_ids.mapped("last_date_invoiced")))
        self.assertEqual(len(first.invoice_ids), 1)
        self.assertEqual(len(last.invoice_ids), 1)
        # another run of the same date leaves it alone (the cron would loop on it)...
        self.assertFalse(self._run(date(2026, 1, 10)).line_ids)
        self.assertFalse(broken.billing_stuck, "one failure is not stuck yet")
        broken.currency_id = self.company.currency_id
        failed_line = run.line_ids.filtered(lambda line: line.result == "failed")
        failed_line.action_retry()
        self.assertFalse(broken.billing_error)
        self.assertEqual(len(broken.invoice_ids), 1)

    def test_failed_subscription_is_retried_and_shown_when_stuck(self):
        """A failure is never a silent exclusion: the next day's run tries again, and the second
        failure with the same reason is shown to the billing manager (activity, dashboard count,
        filter); the run that bills it clears all of it."""
        eur = self.setup_other_currency("EUR")
        broken = self._subscription(currency_id=eur.id)
        first = self._run(date(2026, 1, 1))
        self.assertEqual(first.line_ids.result, "failed")
        self.assertFalse(broken.billing_stuck)
        self.assertFalse(broken.activity_ids)
        second = self._run(date(2026, 1, 2))
        self.assertEqual(second.line_ids.subscription_id, broken, "tried again the next day")
        self.assertEqual(second.line_ids.result, "failed")
        self.assertTrue(broken.billing_stuck)
        self.assertEqual(broken.billing_failure_count, 2)
        activity = broken.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.env.user, "the billing manager who ran it")
        self.assertIn("EUR", activity.note)
        stuck = self.env["billing.subscription"].search(
            [("billing_stuck", "=", True), ("id", "=", broken.id)]
        )
        self.assertEqual(stuck, broken, "the Billing Stuck filter lists it")
        dashboard = self.env["billing.dashboard"].get_dashboard_data("2026-01-01", "2026-01-31")
        self.assertEqual(dashboard["stuck_count"], 1)
        # a third failure keeps one activity
        self._run(date(2026, 1, 3))
        self.assertEqual(broken.billing_failure_count, 3)
        self.assertEqual(len(broken.activity_ids), 1)
        # fixed: the next run bills it and clears the flag and the activity
        broken.currency_id = self.company.currency_id
        self.assertEqual(self._run(date(2026, 1, 4)).line_ids.result, "billed")
        self.assertFalse(broken.billing_error or broken.billing_stuck)
        self.assertFalse(broken.activity_ids, "the activity is done")
        self.assertEqual(
            self.env["billing.dashboard"].get_dashboard_data("2026-01-01", "2026-01-31")[
                "stuck_count"
            ],
            0,
        )

    def test_different_failures_are_not_stuck(self):
        eur = self.setup_other_currency("EUR")
        broken = self._subscription(currency_id=eur.id)
        self._run(date(2026, 1, 1))
        broken.line_ids[0].product_id.property_account_income_id = False
        broken.line_ids[0].product_id.categ_id.property_account_income_categ_id = False
        broken.currency_id = self.company.currency_id
        self._run(date(2026, 1, 2))
        self.assertIn("income account", broken.billing_error)
        self.assertEqual(broken.billing_failure_count, 1, "a new reason starts again")
        self.assertFalse(broken.billing_stuck)

    def test_draft_invoices_by_setting(self):
        self.company.billing_auto_post = False
        subscription = self._subscription()
        self._run(date(2026, 1, 1))
        self.assertEqual(subscription.invoice_ids.state, "draft")

    def test_postpaid_quarterly(self):
        subscription = self._subscription(periodicity="quarterly", invoicing_mode="postpaid")
        self.assertFalse(self._run(date(2026, 3, 31)).line_ids)
        self._run(date(2026, 4, 1))
        move = subscription.invoice_ids
        self.assertEqual(move.invoice_date, date(2026, 4, 1))
        self.assertEqual(move.amount_untaxed, 700.0)
        self.assertIn("03/31/2026", move.invoice_line_ids[0].name)

    def test_mid_period_upgrade_is_prorated_on_the_invoice(self):
        subscription = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        self._run(date(2026, 4, 1))
        line = subscription.line_ids
        line.action_change(date(2026, 4, 16), price_unit=600.0)
        self._run(date(2026, 4, 16))
        adjustment = subscription.invoice_ids.sorted("id")[-1]
        self.assertEqual(adjustment.move_type, "out_invoice")
        self.assertAlmostEqual(adjustment.amount_untaxed, 150.0)
        amounts = sorted(adjustment.invoice_line_ids.mapped("price_subtotal"))
        self.assertEqual(amounts, [-150.0, 300.0])
        self.assertTrue(
            all(
                "prorated 15/30 days" in name for name in adjustment.invoice_line_ids.mapped("name")
            )
        )
        # May is billed at the new price only
        self._run(date(2026, 5, 1))
        self.assertEqual(subscription.invoice_ids.sorted("id")[-1].amount_untaxed, 600.0)

    def test_mid_period_decrease_gives_a_credit_note(self):
        """A decrease in a month already invoiced credits more than it charges: a credit note,
        posted, never an invoice with a negative total that fails to post."""
        subscription = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 600.0)])
        self._run(date(2026, 4, 1))
        subscription.line_ids.action_change(date(2026, 4, 16), price_unit=300.0)
        run = self._run(date(2026, 4, 16))
        self.assertEqual(run.line_ids.result, "billed", run.line_ids.message)
        self.assertFalse(subscription.billing_error)
        refund = subscription.invoice_ids.sorted("id")[-1]
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(refund.amount_total, 150.0, msg="300 credited, 150 charged")
        self.assertEqual(sorted(refund.invoice_line_ids.mapped("price_subtotal")), [-150.0, 300.0])
        periods = subscription.period_ids.filtered(lambda p: p.move_id == refund)
        self.assertAlmostEqual(sum(periods.mapped("amount")), -150.0)
        self._run(date(2026, 5, 1))
        self.assertEqual(subscription.invoice_ids.sorted("id")[-1].amount_untaxed, 300.0)

    def test_close_mid_period_credits_unused_days(self):
        subscription = self._subscription(start=date(2026, 4, 1), lines=[("hosting", 300.0)])
        self._run(date(2026, 4, 1))
        subscription.action_close(date(2026, 4, 21), reason="churned")
        self._run(date(2026, 4, 21))
        refund = subscription.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertAlmostEqual(refund.amount_untaxed, 100.0, msg="10 of 30 days given back")
        self.assertFalse(subscription.next_invoice_date)
        self.assertFalse(self._run(date(2026, 6, 1)).line_ids)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._subscription(lines=[("hosting", -5.0)])
        with self.assertRaisesRegex(ValidationError, "before the start date"):
            self._subscription(date_end=date(2025, 12, 31))
        subscription = self._subscription()
        self._run(date(2026, 1, 1))
        with self.assertRaisesRegex(ValidationError, "gap or an overlap"):
            subscription.periodicity = "quarterly"
        with self.assertRaisesRegex(UserError, "prorated change"):
            subscription.line_ids[0].price_unit = 10.0
        eur = self.setup_other_currency("EUR")
        with self.assertRaisesRegex(ValidationError, "journal"):
            self._subscription(
                currency_id=eur.id, journal_id=self.company_data["default_journal_sale"].id
            )

    def test_only_billing_managers_invoice(self):
        subscription = self._subscription()
        user = new_test_user(
            self.env,
            login="channel_only",
            groups="partner_scorecard.group_channel_user",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            subscription.with_user(user).action_invoice_now()
        with self.assertRaises(AccessError):
            self.env["billing.run"].with_user(user).create({"reference_date": date(2026, 1, 1)})

    def test_cron_works_in_batches_and_reports_progress(self):
        subscriptions = (
            self._subscription()
            | self._subscription(customer=self.customer_1)
            | self._subscription(customer=self.customer_2)
        )
        cron = self.env.ref("recurring_billing.ir_cron_billing_invoice")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        Run = self.env["billing.run"].with_context(ir_cron_progress_id=progress.id)
        Run._cron_invoice(date(2026, 1, 1), batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        Run._cron_invoice(date(2026, 1, 1), batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(len(subscriptions.invoice_ids), 3)

    def test_parallel_slices_share_the_subscriptions(self):
        """With two parallel slices, each cron call bills the subscriptions of its slice only
        (odd or even id), reports what its slice has left, and together they bill every one
        exactly once."""
        subscriptions = self.env["billing.subscription"]
        for index in range(5):
            subscriptions |= self._subscription(
                customer=(self.customer_1, self.customer_2)[index % 2]
            )
        self.env["ir.config_parameter"].sudo().set_param("partner_channel.batch_slices", 2)
        cron = self.env.ref("recurring_billing.ir_cron_billing_invoice")
        twin = self.env["ir.cron"].search([("channel_slice_of_id", "=", cron.id)])
        self.assertEqual(twin.code, "model._cron_invoice(slice_index=1)")
        odd = subscriptions.filtered(lambda s: s.id % 2)
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": twin.id, "remaining": 0, "done": 0}
        )
        Run = self.env["billing.run"].with_context(ir_cron_progress_id=progress.id)
        Run._cron_invoice(date(2026, 1, 1), batch_size=1, slice_index=1)
        self.assertEqual((progress.done, progress.remaining), (1, len(odd) - 1))
        while progress.remaining:
            Run._cron_invoice(date(2026, 1, 1), batch_size=1, slice_index=1)
        billed = subscriptions.filtered("invoice_ids")
        self.assertEqual(billed, odd, "slice 2/2 billed the odd ids, and only those")
        Run._cron_invoice(date(2026, 1, 1), batch_size=10, slice_index=0)
        self.assertEqual((progress.done, progress.remaining), (len(subscriptions - odd), 0))
        for subscription in subscriptions:
            self.assertEqual(len(subscription.invoice_ids), 1, subscription.name)
        # nothing left for either slice
        Run._cron_invoice(date(2026, 1, 1), slice_index=1)
        Run._cron_invoice(date(2026, 1, 1), slice_index=0)
        self.assertEqual(len(subscriptions.invoice_ids), 5)

    def test_automatic_renewal_in_bounded_batches_each_once(self):
        mine = (
            self._subscription(date_end=date(2026, 12, 31), renewal_notice_days=30)
            | self._subscription(
                customer=self.customer_1, date_end=date(2026, 12, 20), renewal_notice_days=30
            )
            | self._subscription(
                customer=self.customer_2, date_end=date(2026, 12, 25), renewal_notice_days=30
            )
        )
        cron = self.env.ref("recurring_billing.ir_cron_billing_renew")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Subscription = self.env["billing.subscription"].with_context(
            ir_cron_progress_id=progress.id
        )
        calls = 0
        while True:
            Subscription._cron_renew(date(2026, 12, 1), batch_size=2)
            calls += 1
            self.assertLessEqual(progress.done, 2, "one bounded batch per call")
            if not progress.remaining:
                break
            self.assertLess(calls, 50)
        self.assertGreaterEqual(calls, 2)
        self.assertEqual(
            mine.mapped("date_end"), [date(2027, 12, 31), date(2027, 12, 20), date(2027, 12, 25)]
        )
        # renewed once: a second pass finds them out of their notice period
        self.assertFalse(Subscription._cron_renew(date(2026, 12, 1)) & mine)
        self.assertEqual(mine.mapped("date_end")[0], date(2027, 12, 31))

    def test_automatic_renewal_in_parallel_slices(self):
        mine = self.env["billing.subscription"]
        for customer in (self.customer_1, self.customer_2, self.customer_1, self.customer_2):
            mine |= self._subscription(
                customer=customer, date_end=date(2026, 12, 31), renewal_notice_days=30
            )
        self.env["ir.config_parameter"].sudo().set_param("partner_channel.batch_slices", 2)
        Subscription = self.env["billing.subscription"]
        odd = mine.filtered(lambda subscription: subscription.id % 2)
        self.assertEqual(Subscription._cron_renew(date(2026, 12, 1), slice_index=1) & mine, odd)
        self.assertEqual(
            Subscription._cron_renew(date(2026, 12, 1), slice_index=0) & mine, mine - odd
        )
        self.assertEqual(set(mine.mapped("date_end")), {date(2027, 12, 31)}, "each renewed once")

    def test_automatic_renewal_within_notice_period(self):
        auto = self._subscription(date_end=date(2026, 12, 31), renewal_notice_days=30)
        manual = self._subscription(
            customer=self.customer_1, date_end=date(2026, 12, 31), renewal_type="manual"
        )
        Subscription = self.env["billing.subscription"]
        self.assertFalse(Subscription._cron_renew(date(2026, 11, 30)), "before the notice period")
        renewed = Subscription._cron_renew(date(2026, 12, 1))
        self.assertEqual(renewed, auto)
        self.assertEqual(auto.date_end, date(2027, 12, 31))
        self.assertFalse(any(auto.line_ids.mapped("date_end")), "lines follow the subscription")
        self.assertEqual(auto.line_ids[0]._end_limit(), date(2027, 12, 31))
        self.assertEqual(manual.date_end, date(2026, 12, 31))
