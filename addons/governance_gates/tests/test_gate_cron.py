import logging
from datetime import date, datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common import GovernanceCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestGateCron(GovernanceCase):
    def _run_cron(self, now, batch_size):
        """Call the cron as the scheduler does, until it reports nothing left; return the
        (done, remaining) it reported at each call."""
        cron = self.env.ref("governance_gates.ir_cron_governance_gate_evaluate")
        Gate = self.env["governance.gate"]
        reports = []
        for _call in range(1000):
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
            Gate.with_context(ir_cron_progress_id=progress.id)._cron_evaluate_open_gates(
                batch_size=batch_size, now=now
            )
            reports.append((progress.done, progress.remaining))
            if not progress.remaining:
                return reports
        self.fail("the cron never finished")

    def _open_gates(self, count):
        projects = self.env["project.project"].create(
            [{"name": f"Cron {i}", "channel_partner_id": self.partner_a.id} for i in range(count)]
        )
        projects.implementation_phase = "build"
        return projects.gate_ids.filtered(lambda g: g.state == "open")

    def test_one_bounded_batch_per_call_and_safe_to_run_twice(self):
        gates = self._open_gates(5)
        now = datetime(2026, 11, 23, 10, 0)
        total = self.env["governance.gate"].search_count([("state", "=", "open")])
        reports = self._run_cron(now, batch_size=2)
        # every call takes at most one batch and reports what is left
        self.assertEqual(len(reports), -(-total // 2))
        self.assertTrue(all(done <= 2 for done, _left in reports))
        self.assertEqual(reports[0], (2, total - 2))
        self.assertEqual(sum(done for done, _left in reports), total)
        self.assertEqual(set(gates.mapped("evaluated_on")), {now})
        # run again within the hour: nothing is taken twice
        self.assertEqual(self._run_cron(now + timedelta(minutes=20), batch_size=2), [(0, 0)])
        self.assertEqual(set(gates.mapped("evaluated_on")), {now})
        # an hour later every open gate is due again
        later = now + timedelta(hours=1)
        self.assertEqual(sum(d for d, _left in self._run_cron(later, batch_size=50)), total)
        self.assertEqual(set(gates.mapped("evaluated_on")), {later})

    def test_parallel_slices_share_the_open_gates(self):
        """With two parallel slices, each call evaluates the open gates of its slice only (odd
        or even id) and reports its slice's remaining; together they evaluate each gate once."""
        gates = self._open_gates(4)
        now = datetime(2026, 11, 23, 10, 0)
        self.env["ir.config_parameter"].sudo().set_param("partner_channel.batch_slices", 2)
        Gate = self.env["governance.gate"]
        self.assertEqual(Gate._cron_evaluate_open_gates(batch_size=500, now=now, slice_index=1), 0)
        self.assertEqual(
            gates.filtered(lambda gate: gate.evaluated_on == now),
            gates.filtered(lambda gate: gate.id % 2),
        )
        self.assertEqual(Gate._cron_evaluate_open_gates(batch_size=500, now=now, slice_index=0), 0)
        self.assertEqual(set(gates.mapped("evaluated_on")), {now})

    def test_a_second_worker_skips_the_gates_another_one_holds(self):
        """Gates locked by another worker (its own transaction) are skipped, not waited for,
        and stay due for the next call."""
        self.env.cr.execute("SET LOCAL lock_timeout = '5s'")
        with self.registry.cursor() as other_worker:
            other_worker.execute(
                "SELECT id FROM governance_gate WHERE state = 'open' ORDER BY id LIMIT 2 FOR UPDATE"
            )
            held = self.env["governance.gate"].browse([row[0] for row in other_worker.fetchall()])
            self.assertTrue(held, "the demo data has committed open gates")
            now = datetime(2026, 11, 23, 10, 0)
            remaining = self.env["governance.gate"]._cron_evaluate_open_gates(
                batch_size=100_000, now=now
            )
            self.assertEqual(remaining, len(held))
            self.assertFalse(any(gate.evaluated_on == now for gate in held))
            other_worker.rollback()
        self.assertEqual(
            self.env["governance.gate"]._cron_evaluate_open_gates(batch_size=100_000, now=now), 0
        )
        self.assertEqual(set(held.mapped("evaluated_on")), {now})

    def test_cron_queries_do_not_grow_with_gates(self):
        """The same number of queries for a batch of n gates as for 3n, under a ceiling."""
        Gate = self.env["governance.gate"]
        counts = []
        for index, n in enumerate((4, 12)):
            now = datetime(2026, 11, 23, 10, 0) + timedelta(hours=2 * index)
            # everything else already evaluated at this time: the batch is exactly the new gates
            self._run_cron(now, batch_size=1000)
            self._open_gates(n)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Gate._cron_evaluate_open_gates(batch_size=1000, now=now)
            counts.append(self.env.cr.sql_log_count - before)
        _logger.info("open-gate evaluation batch: %s queries (n and 3n gates)", counts)
        self.assertEqual(counts[0], counts[1], f"queries for n and 3n gates: {counts}")
        self.assertLessEqual(counts[1], 40, f"queries for n and 3n gates: {counts}")

    @freeze_time("2026-11-23 10:00:00")
    def test_cron_evaluates_open_gates_only(self):
        open_project = self._project(implementation_phase="build", planned_go_live_date=False)
        open_gate = self._gate(open_project, "live")
        held_project = self._project(implementation_phase="build", planned_go_live_date=False)
        held_gate = self._gate(held_project, "live")
        held_gate.with_user(self.channel_user).action_hold()
        open_project.planned_go_live_date = "2026-12-01"
        held_project.planned_go_live_date = "2026-12-01"
        self._run_cron(datetime(2026, 11, 23, 10, 0), batch_size=100)
        self.assertEqual(self._line(open_gate, "Planned go-live date set").outcome, "pass")
        # a decided gate is frozen: its checks are not re-run
        self.assertEqual(self._line(held_gate, "Planned go-live date set").outcome, "todo")

    @freeze_time("2026-11-23 08:00:00")
    def test_reminders_stop_once_decided(self):
        project = self._project(implementation_phase="build")
        gate = self._gate(project, "live")
        pending = gate.approval_ids.filtered(lambda a: a.state == "pending")
        self.assertTrue(pending.activity_ids)
        pending.activity_ids.date_deadline = date(2026, 11, 21)
        Gate = self.env["governance.gate"]

        def reminders():
            return gate.message_ids.filtered(lambda m: "Reminder" in (m.body or ""))

        Gate._cron_remind_approvers()
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().partner_ids, pending.reviewer_ids.partner_id)
        self.assertEqual(pending.reminded_on, date(2026, 11, 23))
        # once a day: the same day again reminds nobody
        Gate._cron_remind_approvers()
        self.assertEqual(len(reminders()), 1)
        with freeze_time("2026-11-24 08:00:00"):
            Gate._cron_remind_approvers()
        self.assertEqual(len(reminders()), 2, "the next day, again")
        gate.with_user(self.channel_user).action_hold()
        self.assertFalse(gate.activity_ids)
        Gate._cron_remind_approvers()
        self.assertEqual(len(reminders()), 2)
