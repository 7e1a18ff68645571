from datetime import date

from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
# the server's clock: 23:30 UTC is already the next day in Brussels, where the manager works
@freeze_time("2026-11-23 23:30:00")
class TestGateTour(HttpCase):
    """The guard seen from the web client: a Channel Manager clicking the status bar."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="gov_tour_manager",
            password="gov_tour_manager_pw1",
            tz="Europe/Brussels",
            groups="base.group_user,partner_scorecard.group_channel_manager,"
            "project.group_project_manager",
        )
        cls.solution_lead = new_test_user(
            cls.env,
            login="gov_tour_lead",
            groups="base.group_user,partner_scorecard.group_channel_user,project.group_project_user",
        )
        partner = cls.env["res.partner"].create({"name": "Tour Partner", "is_company": True})
        cls.project = cls.env["project.project"].create(
            {
                "name": "Tour implementation",
                "channel_partner_id": partner.id,
                "solution_lead_id": cls.solution_lead.id,
                "planned_go_live_date": "2026-12-01",
            }
        )
        cls.project.implementation_phase = "build"
        cls.gate = cls.project.gate_ids.filtered(
            lambda gate: gate.stage_value == "live" and gate.state == "open"
        )
        cls.url = (
            f"/odoo/action-governance_gates.project_project_implementation_action/{cls.project.id}"
        )

    def _complete_gate(self):
        for line in self.gate.line_ids.filtered(lambda line: line.check_type == "checklist"):
            line.evidence_note = "Signed PDF in the DMS"
            line.with_user(self.manager).action_tick()
        for approval in self.gate.approval_ids.sorted("sequence"):
            reviewer = self.manager if self.manager in approval.reviewer_ids else None
            approval.with_user(reviewer or approval.reviewer_ids[:1]).action_approve()

    def test_go_live_through_the_status_bar(self):
        self.assertTrue(self.gate, "the go-live gate opens when the project enters Build")
        # the refusal is a UserError, which the server logs as a warning
        with mute_logger("odoo.http"):
            self.start_tour(self.url, "governance_gates_go_live_blocked", login="gov_tour_manager")
        self.env.invalidate_all()
        self.assertEqual(self.project.implementation_phase, "build")
        self.assertEqual(self.gate.state, "open")
        self.assertFalse(self.project.actual_go_live_date)

        self._complete_gate()
        self.start_tour(self.url, "governance_gates_go_live_allowed", login="gov_tour_manager")
        self.env.invalidate_all()
        self.assertEqual(self.project.implementation_phase, "live")
        self.assertEqual(self.gate.state, "passed")
        self.assertEqual(self.gate.decided_by_id, self.manager)
        # the day of the move as the user who made it sees it (their time zone)
        self.assertEqual(self.project.actual_go_live_date, date(2026, 11, 24))
