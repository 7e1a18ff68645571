import json
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BillingCommon


class GuardCommon(BillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel_user, cls.channel_manager, cls.billing_manager = (
            new_test_user(cls.env, login=login, groups=groups, company_id=cls.company.id)
            for login, groups in (
                ("guard_channel_user", "partner_scorecard.group_channel_user"),
                ("guard_channel_manager", "partner_scorecard.group_channel_manager"),
                (
                    "guard_billing_manager",
                    "partner_scorecard.group_channel_manager,"
                    "recurring_billing.group_billing_manager",
                ),
            )
        )


@tagged("post_install", "-at_install")
class TestBillingWorkflowGuards(GuardCommon):
    """A subscription's lifecycle changes only through its actions, and what invoicing records (a
    line's high-water mark, the billed periods, the run's log and results, the failure
    bookkeeping) only through invoicing (issue 11): a plain write, whoever the caller, even a
    billing manager or sudo, is refused, so no period is billed twice or never."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._subscription(date(2026, 1, 1))
        cls.line = cls.subscription.line_ids[0]
        cls.first_run = cls.env["billing.run"]._run(date(2026, 2, 1))  # January and February

    def callers(self, records):
        return {
            "Channel User": records.with_user(self.channel_user),
            "Channel Manager": records.with_user(self.channel_manager),
            "Billing Manager": records.with_user(self.billing_manager),
            "sudo": records.sudo(),
        }

    def assertRefused(self, records, vals, action="Invoice Now"):
        field = next(iter(vals))
        for who, as_caller in self.callers(records).items():
            with self.subTest(caller=who, model=records._name, field=field):
                with self.assertRaises(AccessError) as caught:
                    as_caller.write(vals)
                self.assertIn(f"({field})", str(caught.exception))
                if action:
                    self.assertIn(action, str(caught.exception))

    def test_the_subscription_lifecycle_is_refused(self):
        draft = self._subscription(date(2026, 3, 1), activate=False)
        self.assertRefused(draft, {"state": "active"}, action="Activate")
        for vals in ({"mrr": 0.0}, {"next_invoice_date": False}):
            self.assertRefused(draft, vals, action="actions")
        for vals in (
            {"state": "closed"},
            {"pause_date": date(2026, 3, 1)},
            {"billing_failed_on": date(2030, 1, 1)},
            {"billing_stuck": True},
        ):
            self.assertRefused(self.subscription, vals, action=None)
        with self.assertRaisesRegex(AccessError, r"\(state\)"):
            self.env["billing.subscription"].with_user(self.channel_user).create(
                {"partner_id": self.channel_partner.id, "state": "active"}
            )
        self.env.invalidate_all()
        self.assertEqual((draft.state, self.subscription.state), ("draft", "active"))
        self.assertEqual(self.subscription.next_invoice_date, date(2026, 3, 1))
        # the actions, as a Channel User
        draft.line_ids.with_user(self.channel_user)  # readable
        draft.with_user(self.channel_user).action_activate()
        self.assertEqual(draft.state, "active")
        draft.with_user(self.channel_user).action_pause(date(2026, 4, 1))
        self.assertEqual((draft.state, draft.pause_date), ("paused", date(2026, 4, 1)))
        draft.with_user(self.channel_user).action_close(date(2026, 4, 1))
        self.assertEqual(draft.state, "closed")

    def test_the_high_water_mark_is_refused(self):
        self.assertEqual(self.line.last_date_invoiced, date(2026, 2, 28))
        self.assertEqual(self.subscription.next_invoice_date, date(2026, 3, 1))
        # moved forward it would skip March, moved back it would bill February again
        for mark in (date(2026, 12, 31), date(2026, 1, 31), False):
            self.assertRefused(self.line, {"last_date_invoiced": mark})
        # nor through the subscription, nor on a new line
        with self.assertRaises(AccessError):
            self.subscription.with_user(self.billing_manager).write(
                {"line_ids": [Command.update(self.line.id, {"last_date_invoiced": False})]}
            )
        with self.assertRaises(AccessError):
            self.env["billing.subscription.line"].with_user(self.channel_user).create(
                {
                    "subscription_id": self.subscription.id,
                    "product_id": self.support.id,
                    "price_unit": 10.0,
                    "last_date_invoiced": date(2026, 12, 31),
                }
            )
        self.env.invalidate_all()
        self.assertEqual(self.line.last_date_invoiced, date(2026, 2, 28))
        self.assertEqual(self.subscription.next_invoice_date, date(2026, 3, 1))

    def test_billed_periods_are_refused(self):
        period = self.subscription.period_ids.filtered(lambda p: p.line_id == self.line)[:1]
        before = period.read(["period_start", "period_end", "amount", "move_id"])
        for vals in (
            {"period_start": date(2026, 3, 1)},
            {"period_end": date(2026, 12, 31)},
            {"amount": 0.0},
            {"kind": "credit"},
        ):
            self.assertRefused(period, vals)
        with self.assertRaises(AccessError) as caught:
            self.env["billing.invoice.period"].with_user(self.billing_manager).create(
                {
                    "line_id": self.line.id,
                    "period_start": date(2026, 3, 1),
                    "period_end": date(2026, 3, 31),
                    "move_id": period.move_id.id,
                }
            )
        self.assertIn("(period_start)", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(period.read(["period_start", "period_end", "amount", "move_id"]), before)

    def test_the_run_log_and_its_results_are_refused(self):
        self.assertEqual((self.first_run.state, self.first_run.billed_count), ("done", 1))
        for vals in (
            {"state": "failed"},
            {"reference_date": date(2026, 3, 1)},
            {"billed_count": 0},
            {"user_id": self.channel_user.id},
        ):
            self.assertRefused(self.first_run, vals)
        result = self.first_run.line_ids[0]
        for vals in ({"result": "failed"}, {"message": "Nothing happened"}, {"move_ids": False}):
            self.assertRefused(result, vals)
        with self.assertRaises(AccessError):
            self.first_run.with_user(self.billing_manager).write(
                {"line_ids": [Command.update(result.id, {"result": "skipped"})]}
            )
        with self.assertRaisesRegex(AccessError, r"\(reference_date\)"):
            self.env["billing.run"].with_user(self.billing_manager).create(
                {"reference_date": date(2026, 3, 1)}
            )
        with self.assertRaisesRegex(AccessError, r"\(result\)"):
            self.env["billing.run.line"].with_user(self.billing_manager).create(
                {
                    "run_id": self.first_run.id,
                    "subscription_id": self.subscription.id,
                    "result": "billed",
                }
            )
        self.env.invalidate_all()
        self.assertEqual((self.first_run.state, self.first_run.billed_count), ("done", 1))
        self.assertEqual(result.result, "billed")

    def test_a_client_context_is_no_bypass(self):
        for forged in (True, ["billing.subscription.line"], "billing.subscription.line"):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self.line.with_user(self.billing_manager).with_context(
                    channel_workflow_bypass=forged
                ).write({"last_date_invoiced": date(2026, 12, 31)})
        self.assertEqual(self.line.last_date_invoiced, date(2026, 2, 28))

    def test_invoicing_still_moves_the_mark_and_logs_the_run(self):
        with freeze_time("2026-03-01 09:00:00"):
            self.subscription.with_user(self.billing_manager).action_invoice_now()
        self.assertEqual(self.line.last_date_invoiced, date(2026, 3, 31))
        run = self.env["billing.run"].search([], limit=1)
        self.assertNotEqual(run, self.first_run)
        self.assertEqual(
            (run.state, run.billed_count, run.user_id), ("done", 1, self.billing_manager)
        )
        self.assertEqual(
            len(self.subscription.period_ids.filtered(lambda p: p.line_id == self.line)), 3
        )
        # a retry from the run's log goes through the same path
        retried = run.line_ids.with_user(self.billing_manager).action_retry()
        self.assertEqual(self.env["billing.run"].browse(retried["res_id"]).skipped_count, 1)

    def test_a_resume_skips_the_paused_days_through_the_bypass(self):
        self.subscription.action_pause(date(2026, 3, 1))
        self.subscription.with_user(self.billing_manager).action_resume(date(2026, 5, 1))
        self.assertEqual(self.line.last_date_invoiced, date(2026, 4, 30))
        self.assertEqual(self.subscription.next_invoice_date, date(2026, 5, 1))

    def test_ordinary_fields_stay_editable(self):
        line = self.line.with_user(self.channel_user)
        line.write({"name": "Managed hosting M (Frankfurt)", "resale_price": 650.0, "sequence": 5})
        self.assertEqual(self.line.margin, 150.0)
        draft = self._subscription(date(2026, 3, 1), activate=False)
        draft.line_ids[0].with_user(self.channel_user).write({"price_unit": 450.0, "quantity": 2})
        self.assertEqual(draft.line_ids[0].price_subtotal, 900.0)
        self.line.with_user(self.billing_manager).write({"date_end": date(2026, 6, 30)})
        self.assertEqual(self.line.date_end, date(2026, 6, 30))


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01 09:00:00")
class TestBillingWorkflowGuardsOverRpc(GuardCommon, HttpCase):
    """Over JSON-RPC, as a client would: a billing manager's plain write of a subscription's
    state, a line's high-water mark or a run's state is refused whatever context it sends; Invoice Now goes through."""

    def _call(self, model, method, args, context=None):
        """The JSON-RPC answer of ``model.method(*args)``, as a client receives it."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {"context": context or {}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_rpc_write_refused_action_accepted(self):
        subscription = self._subscription(date(2026, 1, 1))
        run = self.env["billing.run"]._run(date(2026, 2, 1))
        line = subscription.line_ids[0]
        self.authenticate(self.billing_manager.login, self.billing_manager.login)
        forged = {
            "channel_workflow_bypass": [
                "billing.subscription",
                "billing.subscription.line",
                "billing.run",
            ]
        }
        for model, record, vals in (
            ("billing.subscription.line", line, {"last_date_invoiced": "2026-12-31"}),
            ("billing.run", run, {"state": "failed"}),
            ("billing.subscription", subscription, {"state": "closed"}),
        ):
            with self.subTest(model=model), mute_logger("odoo.http"):
                error = self._call(model, "write", [[record.id], vals], forged)["error"]["data"]
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
            self.assertIn(f"({next(iter(vals))})", error["message"])
        self.env.invalidate_all()
        self.assertEqual((line.last_date_invoiced, run.state), (date(2026, 2, 28), "done"))
        answer = self._call("billing.subscription", "action_invoice_now", [[subscription.id]])
        self.assertEqual(answer["result"]["res_model"], "billing.run")
        self.env.invalidate_all()
        self.assertEqual(line.last_date_invoiced, date(2026, 3, 31))
