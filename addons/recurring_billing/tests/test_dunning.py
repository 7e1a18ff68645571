"""Dunning of overdue wholesale invoices: levels on hand-computed dates, suspension of the tenants
the invoice bills (never while a payment is pending or a dispute is open), resume on payment,
churn for non-payment, amounts that do not match, and a real suspension on this PostgreSQL."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.white_label_tenant.tests.common import LocalDatabaseCase, admin_sql

from .common import BillingCommon
from .test_tenant_billing import TenantBillingCommon

LEVELS = [
    (7, "Reminder", "email", False),
    (21, "Second reminder", "email", False),
    (35, "Suspension warning", "letter", False),
    (45, "Suspension", "phone", True),
]


def make_policy(env, company):
    return env["billing.dunning.policy"].create(
        {
            "name": "H5 wholesale",
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "days": days,
                        "name": name,
                        "channel": channel,
                        "suspend": suspend,
                        "message": f"{name} of the H5 policy.",
                    }
                )
                for days, name, channel, suspend in LEVELS
            ],
        }
    )


def pay(env, invoice, day, amount=None):
    """Register a payment of ``invoice`` on ``day`` (in full unless ``amount``)."""
    with freeze_time(day):
        vals = {"payment_date": day}
        if amount is not None:
            vals["amount"] = amount
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(vals)._create_payments()


@tagged("post_install", "-at_install")
class TestDunning(TenantBillingCommon):
    """Acme's subscription (support 100 + hosting of its environment 300) invoiced on 1 April
    2026, due the same day, never paid; Globex (tenant B) is another customer of the partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel_partner.email = "billing@northwind.example.com"
        cls.policy = make_policy(cls.env, cls.company)
        cls.levels = cls.policy.level_ids.sorted("days")
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
        with freeze_time("2026-04-01"):
            cls.env["billing.run"]._run(date(2026, 4, 1))
        cls.invoice = cls.subscription.invoice_ids
        cls.payment_method = cls.env.ref("payment.payment_method_unknown")
        cls.provider = cls.env["payment.provider"].create(
            {"name": "H5 bank", "code": "none", "state": "test", "company_id": cls.company.id}
        )

    def _dun(self, day):
        with freeze_time(day):
            self.env["account.move"]._run_dunning(date.fromisoformat(day), invoices=self.invoice)
        self.env.invalidate_all()
        return self.invoice.billing_dunning_level_id.name

    def _partner_notices(self):
        return self.invoice.message_ids.filtered(
            lambda m: self.channel_partner in m.partner_ids
        ).sorted("id")

    def test_levels_on_their_days_then_suspension_and_resume_on_payment(self):
        self.assertEqual(self.invoice.state, "posted")
        self.assertEqual(self.invoice.invoice_date_due, date(2026, 4, 1))
        self.assertEqual(self.invoice.amount_residual, 400.0)
        self.assertFalse(self._dun("2026-04-07"), "6 days late: nothing yet")
        self.assertEqual(self._dun("2026-04-08"), "Reminder")
        self.assertIn("Reminder of the H5 policy", str(self._partner_notices()[-1].body))
        self.assertEqual(self._dun("2026-04-21"), "Reminder", "20 days: still the reminder")
        self.assertEqual(self._dun("2026-04-22"), "Second reminder")
        self.assertEqual(self._dun("2026-05-06"), "Suspension warning")
        letter = self.invoice.activity_ids
        self.assertEqual(len(letter), 1, "a letter is an activity for the salesperson")
        self.assertIn("Letter", letter.summary)
        self.assertEqual(len(self._partner_notices()), 3)
        self.assertEqual(self.tenant_a.state, "active")
        self.assertFalse(self.backend.calls)

        self.assertEqual(self._dun("2026-05-16"), "Suspension")
        self.assertEqual(self.tenant_a.state, "suspended")
        self.assertEqual(self.tenant_b.state, "active", "the partner's other customer is served")
        self.assertEqual(self.backend.calls, [("suspend", "h1_billing_acme")])
        self.assertEqual(self.invoice.billing_suspended_tenant_ids, self.tenant_a)
        self.assertEqual(self.subscription.state, "paused")
        self.assertIn("are suspended from 2026-05-16", str(self._partner_notices()[-1].body))
        self.assertIn("non-payment", str(self.tenant_a.message_ids[0].body))
        self._dun("2026-05-17")
        self.assertEqual(self.backend.calls, [("suspend", "h1_billing_acme")], "once")

        pay(self.env, self.invoice, date(2026, 5, 20))
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.tenant_a.state, "active", "payment in full resumes")
        self.assertEqual(self.backend.calls[-1], ("resume", "h1_billing_acme"))
        self.assertTrue(self.invoice.billing_resumed_at)
        self.assertEqual(self.subscription.state, "active")
        self.assertIn("running again", str(self._partner_notices()[-1].body))

    def test_a_partial_payment_resumes_nothing(self):
        self._dun("2026-05-16")
        self.assertEqual(self.invoice.billing_dunning_level_id.name, "Suspension")
        pay(self.env, self.invoice, date(2026, 5, 18), amount=100.0)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertEqual(self.tenant_a.state, "suspended")
        self.assertFalse(self.invoice.billing_resumed_at)

    def test_a_pending_payment_holds_the_suspension(self):
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method.id,
                "reference": "H5-PENDING-1",
                "amount": 400.0,
                "currency_id": self.invoice.currency_id.id,
                "partner_id": self.channel_partner.id,
                "invoice_ids": [Command.set(self.invoice.ids)],
            }
        )
        tx._set_pending()
        self.assertEqual(self._dun("2026-05-16"), "Suspension warning", "held one level before")
        self.assertEqual(self.tenant_a.state, "active")
        self.assertIn("a payment is pending (H5-PENDING-1)", self.invoice.billing_dunning_held)
        tx._set_canceled()
        self.assertEqual(self._dun("2026-05-17"), "Suspension")
        self.assertEqual(self.tenant_a.state, "suspended")

    def test_an_open_dispute_holds_the_suspension_until_a_manager_clears_it(self):
        with self.assertRaisesRegex(UserError, "Dispute Reason"):
            self.invoice._dunning_open_dispute("  ")
        self.invoice._dunning_open_dispute("Hosting billed twice for April")
        self.assertTrue(self.invoice.billing_dispute)
        self.assertEqual(self._dun("2026-05-16"), "Suspension warning")
        self.assertEqual(self.tenant_a.state, "active")
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.manager).action_clear_dispute()
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.manager).write({"billing_dispute": False})
        self.invoice.action_clear_dispute()
        self.assertFalse(self.invoice.billing_dispute)
        self.assertEqual(self.invoice.billing_dispute_cleared_by_id, self.env.user)
        self.assertEqual(self._dun("2026-05-17"), "Suspension")
        self.assertEqual(self.tenant_a.state, "suspended")

    def test_closing_for_non_payment_books_churn_with_that_reason(self):
        self._dun("2026-05-16")
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.manager).action_close_subscription_non_payment()
        with freeze_time("2026-05-31"):
            self.invoice.action_close_subscription_non_payment()
        self.assertEqual(self.subscription.state, "closed")
        self.assertEqual(self.subscription.close_reason, "non_payment")
        churn = self.env["billing.mrr.movement"].search(
            [("subscription_id", "=", self.subscription.id), ("movement_type", "=", "churn")]
        )
        self.assertEqual(churn.mapped("date"), [date(2026, 5, 16)] * 2, "booked at suspension")
        self.assertEqual(set(churn.mapped("reason")), {"non_payment"})
        self.assertEqual(self.subscription.mrr, 0.0)

    def test_closing_an_unsuspended_subscription_for_non_payment(self):
        with freeze_time("2026-04-20"):
            self.invoice.action_close_subscription_non_payment()
        churn = self.env["billing.mrr.movement"].search(
            [("subscription_id", "=", self.subscription.id), ("movement_type", "=", "churn")]
        )
        self.assertEqual(churn.mapped("date"), [date(2026, 4, 20)] * 2)
        self.assertEqual(set(churn.mapped("reason")), {"non_payment"})

    def test_a_payment_that_does_not_match_the_invoice_is_refused_whole(self):
        count = self.env["payment.transaction"].search_count([])
        for amount in (0.0, -5.0, 400.01, 1000.0):
            with self.assertRaisesRegex(ValidationError, "does not match"):
                self.env["payment.transaction"].create(
                    {
                        "provider_id": self.provider.id,
                        "payment_method_id": self.payment_method.id,
                        "reference": f"H5-WRONG-{amount}",
                        "amount": amount,
                        "currency_id": self.invoice.currency_id.id,
                        "partner_id": self.channel_partner.id,
                        "invoice_ids": [Command.set(self.invoice.ids)],
                    }
                )
        self.assertEqual(self.env["payment.transaction"].search_count([]), count)

    def test_policy_levels_are_validated_naming_the_field(self):
        with self.assertRaisesRegex(ValidationError, "Days Overdue"), self.cr.savepoint():
            self.levels[1].days = 7
        self.env.invalidate_all()
        with self.assertRaisesRegex(ValidationError, "Suspend Tenants"), self.cr.savepoint():
            self.levels[0].suspend = True

    def test_scheduled_dunning_in_bounded_batches_once_a_day(self):
        cron = self.env.ref("recurring_billing.ir_cron_billing_dunning")
        Move = self.env["account.move"]

        def call(day, batch_size):
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
            with freeze_time(day):
                Move.with_context(ir_cron_progress_id=progress.id)._cron_dunning(
                    date.fromisoformat(day), batch_size=batch_size
                )
            return progress.done, progress.remaining

        # every overdue invoice of the database (demo ones too) in batches of one
        calls, remaining = 0, None
        while remaining != 0:
            done, remaining = call("2026-04-22", 1)
            calls += 1
            self.assertLessEqual(done, 2, "one invoice and at most one resume per call")
            self.assertLess(calls, 500)
        self.assertEqual(self.invoice.billing_dunning_level_id.name, "Second reminder")
        self.assertEqual(self.invoice.billing_dunning_checked_on, date(2026, 4, 22))
        notices = len(self.invoice.message_ids)
        # the same day again: nothing left, nothing sent twice
        self.assertEqual(call("2026-04-22", 200), (0, 0))
        self.assertEqual(len(self.invoice.message_ids), notices)
        # the mark is the scheduled action's: nobody skips an invoice's dunning by hand
        with self.assertRaisesRegex(AccessError, "billing_dunning_checked_on"):
            self.invoice.with_user(self.manager).write(
                {"billing_dunning_checked_on": date(2026, 12, 31)}
            )

    def test_only_billing_managers_run_dunning_by_hand(self):
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.manager).action_run_dunning()
        with freeze_time("2026-04-08"):
            self.invoice.action_run_dunning()
        self.assertEqual(self.invoice.billing_dunning_level_id.name, "Reminder")


@tagged("post_install", "-at_install")
class TestDunningRealSuspension(BillingCommon, LocalDatabaseCase):
    """A tenant with a real database on this PostgreSQL (named wlt_<random>, dropped): the
    suspension level closes the database to connections, payment opens it again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = make_policy(cls.env, cls.company)
        cls.env.ref("white_label_tenant.gate_template_tenant_go_live").sudo().active = False

    def test_suspension_and_resume_on_the_real_database(self):
        self.tenant_a.with_user(self.manager).action_provision()
        self.tenant_a._workflow_write({"state": "active"})
        name = self.production.database_name
        subscription = self._subscription(
            start=date(2026, 4, 1),
            partner=self.tenant_a.partner_id,
            customer=self.tenant_a.end_customer_id,
            lines=[("support", 250.0)],
            tenant_id=self.tenant_a.id,
        )
        with freeze_time("2026-04-01"):
            self._run(date(2026, 4, 1))
        invoice = subscription.invoice_ids
        with freeze_time("2026-05-16"):
            self.env["account.move"]._run_dunning(date(2026, 5, 16), invoices=invoice)
        self.assertEqual(invoice.billing_dunning_level_id.name, "Suspension")
        self.assertEqual(self.tenant_a.state, "suspended")
        self.assertEqual(self.production.state, "suspended")
        allow = "SELECT datallowconn FROM pg_database WHERE datname = %s"
        self.assertEqual(admin_sql(allow, (name,)), [(False,)])
        pay(self.env, invoice, date(2026, 5, 19))
        self.assertEqual(self.tenant_a.state, "active")
        self.assertEqual(admin_sql(allow, (name,)), [(True,)])


@tagged("post_install", "-at_install")
class TestAutomaticCharge(BillingCommon):
    """A subscription charged to the partner's saved demo token: the run posts the invoice and
    the charge pays it; a refused charge leaves it open for dunning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls.env.ref("payment.payment_provider_demo").sudo()
        if demo.code != "demo":
            cls.skipTest(cls, "payment_demo is not installed (the test command installs it)")
        cls.provider = demo.copy({"state": "test", "company_id": cls.company.id})
        cls.user_billing = new_test_user(
            cls.env, login="h5_billing", groups="recurring_billing.group_billing_manager"
        )

    def _token(self, state):
        return self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.env["payment.method"]
                .search([("code", "=", "demo")], limit=1)
                .id,
                "partner_id": self.channel_partner.id,
                "provider_ref": f"h5-{state}",
                "payment_details": "4242",
                "demo_simulated_state": state,
            }
        )

    def test_a_saved_token_pays_the_posted_invoice(self):
        subscription = self._subscription(
            start=date(2026, 4, 1), billing_payment_token_id=self._token("done").id
        )
        with freeze_time("2026-04-01"):
            self._run(date(2026, 4, 1))
        invoice = subscription.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.transaction_ids.operation, "offline")

    def test_a_refused_charge_leaves_the_invoice_open(self):
        subscription = self._subscription(
            start=date(2026, 4, 1), billing_payment_token_id=self._token("error").id
        )
        with freeze_time("2026-04-01"):
            self._run(date(2026, 4, 1))
        invoice = subscription.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertIn("not accepted", str(invoice.message_ids.mapped("body")))

    def test_no_token_no_charge(self):
        subscription = self._subscription(start=date(2026, 4, 1))
        with freeze_time("2026-04-01"):
            self._run(date(2026, 4, 1))
        self.assertFalse(subscription.invoice_ids.transaction_ids)
