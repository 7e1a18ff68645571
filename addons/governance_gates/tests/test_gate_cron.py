from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestGateCron(GovernanceCase):
    def test_cron_evaluates_open_gates_only(self):
        open_project = self._project(implementation_phase="build", planned_go_live_date=False)
        open_gate = self._gate(open_project, "live")
        held_project = self._project(implementation_phase="build", planned_go_live_date=False)
        held_gate = self._gate(held_project, "live")
        held_gate.with_user(self.channel_user).action_hold()
        open_project.planned_go_live_date = "2026-12-01"
        held_project.planned_go_live_date = "2026-12-01"
        self.env["governance.gate"]._cron_evaluate_open_gates(batch_size=1)
        self.assertEqual(self._line(open_gate, "Planned go-live date set").outcome, "pass")
        # a decided gate is frozen: its checks are not re-run
        self.assertEqual(self._line(held_gate, "Planned go-live date set").outcome, "todo")

    def test_reminders_stop_once_decided(self):
        project = self._project(implementation_phase="build")
        gate = self._gate(project, "live")
        pending = gate.approval_ids.filtered(lambda a: a.state == "pending")
        self.assertTrue(pending.activity_ids)
        pending.activity_ids.date_deadline = fields.Date.today() - timedelta(days=2)
        Gate = self.env["governance.gate"]
        with patch.object(type(Gate), "message_post", autospec=True) as post:
            Gate._cron_remind_approvers()
        self.assertEqual(post.call_count, 1)
        gate.with_user(self.channel_user).action_hold()
        self.assertFalse(gate.activity_ids)
        with patch.object(type(Gate), "message_post", autospec=True) as post:
            Gate._cron_remind_approvers()
        self.assertEqual(post.call_count, 0)
