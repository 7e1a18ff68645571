from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestWorkflowGuard(GovernanceCase):
    """Gate, criterion and approval fields change only through their actions, for every role
    (issue 11): a plain write, as a Channel User, a Channel Manager or even sudo, is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create(
            {
                "name": "Guarded rollout",
                "channel_partner_id": cls.partner_a.id,
                "solution_lead_id": cls.solution_lead.id,
                "implementation_phase": "build",
            }
        )
        cls.gate = cls.project.gate_ids.filtered(lambda g: g.stage_value == "live")
        cls.backup = cls.gate.line_ids.filtered(lambda line: line.name == "Backup restore verified")

    def assertRefused(self, records, vals, field):
        with self.assertRaises(AccessError) as error:
            records.write(vals)
        self.assertIn(f"({field})", str(error.exception))
        return str(error.exception)

    def test_channel_user_cannot_waive_nor_lower_the_pass_mark(self):
        message = self.assertRefused(
            self.backup.with_user(self.channel_user), {"waived": True}, "waived"
        )
        self.assertIn("Waive", message)
        self.assertRefused(self.gate.with_user(self.channel_user), {"pass_mark": 0}, "pass_mark")
        self.assertRefused(
            self.gate.line_ids[:1].with_user(self.channel_user), {"done": True}, "done"
        )
        step = self.gate.approval_ids[:1]
        self.assertRefused(step.with_user(self.channel_user), {"state": "approved"}, "state")
        self.assertFalse(self.backup.waived)
        self.assertFalse(self.gate.is_ready)

    def test_channel_manager_cannot_either_outside_the_actions(self):
        manager_gate = self.gate.with_user(self.manager)
        for field, value in (
            ("pass_mark", 0),
            ("approval_mode", "parallel"),
            ("state", "passed"),
            ("decided_by_id", self.manager.id),
        ):
            self.assertRefused(manager_gate, {field: value}, field)
        line = self.backup.with_user(self.manager)
        for field, value in (
            ("waived", True),
            ("waived_by_id", self.manager.id),
            ("kind", "should"),
            ("weight", 0),
            ("check_type", "checklist"),
        ):
            self.assertRefused(line, {field: value}, field)
        # nor through the gate's one2many
        with self.assertRaises(AccessError):
            manager_gate.write({"line_ids": [Command.update(self.backup.id, {"waived": True})]})
        with self.assertRaises(AccessError):
            manager_gate.write(
                {
                    "approval_ids": [
                        Command.update(manager_gate.approval_ids[0].id, {"state": "approved"})
                    ]
                }
            )
        # sudo is no way round either: only the actions' bypass is
        self.assertRefused(self.gate.sudo(), {"pass_mark": 0}, "pass_mark")
        self.assertEqual(self.gate.pass_mark, self.go_live.pass_mark)

    def test_no_gate_nor_criterion_made_by_hand(self):
        with self.assertRaises(AccessError):
            self.env["governance.gate"].with_user(self.manager).create(
                self.go_live._prepare_gate_vals(self.project, "live")
            )
        with self.assertRaises(AccessError):
            self.env["governance.gate.line"].with_user(self.manager).create(
                {
                    "gate_id": self.gate.id,
                    "name": "Always true",
                    "kind": "should",
                    "weight": 1000,
                    "check_type": "domain",
                    "check_domain": "[]",
                }
            )

    def test_client_context_cannot_open_the_bypass(self):
        for value in (True, 1, "governance.gate.line", ["governance.gate.line"]):
            line = self.backup.with_user(self.manager).with_context(channel_workflow_bypass=value)
            self.assertRefused(line, {"waived": True}, "waived")

    def test_gate_status_on_the_record_is_set_by_the_gates_only(self):
        with self.assertRaises(AccessError):
            self.project.with_user(self.manager).write({"gate_state": "passed"})
        with self.assertRaises(AccessError):
            self.project.with_user(self.manager).write({"gate_current_id": False})
        self.assertEqual(self.project.gate_state, "open")

    def test_review_comment_frozen_once_reviewed(self):
        step = self.gate.approval_ids.filtered(lambda a: a.state == "pending")[:1]
        step.with_user(self.solution_lead).write({"comment": "Architecture reviewed"})
        step.with_user(self.solution_lead).action_approve()
        self.assertIn("Architecture reviewed", self.gate.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "Comment"):
            step.with_user(self.manager).write({"comment": "Never reviewed"})
        self.assertEqual(step.comment, "Architecture reviewed")

    def test_evidence_stays_writable(self):
        line = self.backup.with_user(self.channel_user)
        line.write({"evidence_note": "Restore of 2026-11-20 in 14 min"})
        self.assertEqual(self.backup.evidence_note, "Restore of 2026-11-20 in 14 min")

    def test_waive_action_is_the_way_and_is_audited(self):
        with self.assertRaises(AccessError):
            self.backup.with_user(self.channel_user)._waive("customer runs its own backups")
        self.backup.with_user(self.manager)._waive("customer runs its own backups")
        self.assertTrue(self.backup.waived)
        self.assertEqual(self.backup.waived_by_id, self.manager)
        self.assertIn("customer runs its own backups", self.gate.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.gate.with_user(self.portal_a).action_hold()
        with self.assertRaises(AccessError):
            self.gate.with_user(self.portal_a).action_evaluate()


@tagged("post_install", "-at_install")
class TestPermanentWaiver(GovernanceCase):
    """Missing is missing (issue 10): a waiver without expiry date counts for ever; it made its
    gate raise TypeError (the ORM's False reached the core where None is expected)."""

    def test_waiver_without_expiry_counts_on_any_date(self):
        with freeze_time("2026-11-23 10:00:00"):
            project = self._project(implementation_phase="build")
            gate = self._gate(project, "live")
            self._tick_all(gate)
            self._approve_all(gate)
            line = self._line(gate, "Backup restore verified")
            line.sudo()._workflow_write({"done": False})
            line.with_user(self.manager)._waive("the customer runs its own backups")
            self.assertIn("no expiry", gate.message_ids[0].body)
        with freeze_time(date(2031, 1, 1)):
            self.env.invalidate_all()
            self.assertTrue(line.waiver_valid)
            self.assertEqual(
                self.env["governance.gate"]._cron_evaluate_open_gates(batch_size=10_000), 0
            )
            self.assertTrue(gate.is_ready, gate.missing_summary)
            project.implementation_phase = "live"
        self.assertEqual(gate.state, "passed")
        self.assertEqual(gate.waiver_count, 1)
        # the one conversion of ORM values for the core: no expiry is None, never False
        self.assertIsNone(line._as_criterion().waiver_expiry)

    def test_decided_gate_refuses_even_through_the_actions(self):
        project = self._project(implementation_phase="build")
        gate = self._gate(project, "live")
        gate.with_user(self.channel_user).action_hold()
        with self.assertRaises(UserError):
            self._line(gate, "Backup restore verified").with_user(self.manager)._waive("late")
