from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import LocalDatabaseCase

NOW = datetime(2026, 12, 1, 10, 0)


@tagged("post_install", "-at_install")
class TestGoLiveChecks(LocalDatabaseCase):
    """The go-live gate of an implementation project that delivers a tenant reads the tenant's
    SLA policy and restore tests: "SLA policy assigned" and "Backup restore verified" are
    automatic checks, not ticks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create(
            {
                "name": "Secret Retail rollout",
                "channel_partner_id": cls.partner_a.id,
                "solution_lead_id": cls.manager.id,
                "planned_go_live_date": "2026-12-15",
            }
        )
        cls.project.implementation_phase = "build"
        cls.tenant_a.project_id = cls.project
        cls.hosted = cls.env.ref("white_label_tenant.gate_template_project_go_live_hosted")

    def _gate(self):
        return self.project.gate_ids.filtered(
            lambda g: g.state == "open" and g.template_id == self.hosted
        )

    def _line(self, name):
        return self._gate().line_ids.filtered(lambda line: line.name == name)

    def _run_cron(self, now):
        """The hourly evaluation, as the scheduler calls it, until nothing is left."""
        cron = self.env.ref("governance_gates.ir_cron_governance_gate_evaluate")
        for _call in range(100):
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
            self.env["governance.gate"].with_context(
                ir_cron_progress_id=progress.id
            )._cron_evaluate_open_gates(now=now)
            if not progress.remaining:
                return
        self.fail("the gate evaluation cron never finished")

    def _complete_the_manual_part(self):
        gate = self._gate()
        for line in gate.line_ids.filtered(lambda line: line.check_type == "checklist"):
            line.evidence_note = "Signed off in the steering committee"
            line.action_tick()
        for approval in gate.approval_ids.sorted("sequence"):
            approval.with_user(self.manager).action_approve()

    def test_linking_the_tenant_switches_to_the_automatic_gate(self):
        generic = self.env.ref("governance_gates.gate_template_project_go_live")
        other = self.env["project.project"].create(
            {"name": "On-premise rollout", "channel_partner_id": self.partner_a.id}
        )
        other.implementation_phase = "build"
        # no tenant: the go-live gate ticked by hand
        self.assertEqual(other.gate_ids.template_id, generic)
        self.assertEqual(
            other.gate_ids.line_ids.filtered(
                lambda line: line.name == "Backup restore verified"
            ).mapped("check_type"),
            ["checklist"],
        )
        # the project that delivers a tenant: both checks are automatic
        self.assertEqual(self.project.tenant_ids, self.tenant_a)
        gate = self._gate()
        self.assertTrue(gate)
        self.assertEqual(
            {line.name: line.check_type for line in gate.line_ids}["Backup restore verified"],
            "python",
        )
        self.assertEqual(self._line("SLA policy assigned").check_type, "python")
        # linking a tenant to the other project opens its automatic gate at once, and drops the
        # gate ticked by hand nobody had worked on
        self.tenant_b.project_id = other
        self.assertEqual(other.gate_ids.template_id, self.hosted)
        self.assertEqual(other.gate_current_id.template_id, self.hosted)
        # a gate someone already worked on stays, for the record
        third = self.env["project.project"].create(
            {"name": "Warehouse rollout", "channel_partner_id": self.partner_a.id}
        )
        third.implementation_phase = "build"
        third.gate_ids.line_ids[:1].evidence_note = "Migration rehearsal report"
        self.env["tenant.tenant"].create(
            {"name": "Warehouse ERP", "partner_id": self.partner_a.id, "project_id": third.id}
        )
        self.assertEqual(third.gate_ids.template_id, generic | self.hosted)
        # unlinking goes back to the gate ticked by hand
        self.tenant_b.project_id = False
        self.assertEqual(other.gate_ids.template_id, generic)

    def test_go_live_blocked_until_a_restore_test_passes(self):
        with freeze_time(NOW):
            self.tenant_a.with_user(self.manager).action_provision()
            self.production.with_user(self.manager).action_backup()
            self._complete_the_manual_part()
            self._run_cron(NOW)
            restore = self._line("Backup restore verified")
            self.assertEqual(restore.outcome, "fail")
            self.assertIn("no restore test passed since", restore.auto_evidence)
            self.assertIn(self.production.display_name, restore.auto_evidence)
            sla = self._line("SLA policy assigned")
            self.assertEqual(sla.outcome, "pass")
            version = self.tenant_a.sla_policy_id.current_version_id
            self.assertIn(version.display_name, sla.auto_evidence)
            with self.assertRaises(UserError) as refusal:
                self.project.implementation_phase = "live"
            self.assertIn("Backup restore verified", str(refusal.exception))
            self.assertNotIn("SLA policy assigned", str(refusal.exception))
            self.assertEqual(self.project.implementation_phase, "build")

            self.production.with_user(self.manager).action_restore_test()
            test = self.production.restore_test_ids
            self.assertEqual(test.state, "passed", test.details)
        later = NOW + timedelta(hours=1)
        with freeze_time(later):
            self._run_cron(later)
            self.assertEqual(restore.outcome, "pass")
            self.assertIn("restore test of", restore.auto_evidence)
            self.assertIn("passed", restore.auto_evidence)
            self.assertIn(version.display_name, restore.auto_evidence)
            gate = self._gate()
            self.assertTrue(gate.is_ready, gate.missing_summary)
            self.project.implementation_phase = "live"
        self.assertEqual(gate.state, "passed")
        self.assertEqual(self.project.implementation_phase, "live")

    def test_a_restore_test_older_than_the_policy_validity_no_longer_verifies(self):
        with freeze_time(NOW):
            self.tenant_a.with_user(self.manager).action_provision()
            self.production.with_user(self.manager).action_backup()
            self.production.with_user(self.manager).action_restore_test()
            self._gate().with_user(self.channel_user).action_evaluate()
            self.assertEqual(self._line("Backup restore verified").outcome, "pass")
            version = self.tenant_a.sla_policy_id.current_version_id
        # the policy version in force says how long a restore test verifies (30 days here)
        days = version.restore_test_validity_days
        self.assertTrue(days)
        within = NOW + timedelta(days=days - 1)
        with freeze_time(within):
            self._run_cron(within)
            self.assertEqual(self._line("Backup restore verified").outcome, "pass")
        stale = NOW + timedelta(days=days + 1)
        with freeze_time(stale):
            self._run_cron(stale)
            line = self._line("Backup restore verified")
            self.assertEqual(line.outcome, "fail")
            self.assertIn(f"{version.display_name}: {days} days", line.auto_evidence)

    def test_sla_policy_assigned_reads_the_tenant_policy(self):
        self.tenant_a.sla_policy_id = False
        with freeze_time(NOW):
            self._gate().with_user(self.channel_user).action_evaluate()
            line = self._line("SLA policy assigned")
            self.assertEqual(line.outcome, "fail")
            self.assertIn("has no SLA policy", line.auto_evidence)
            self.tenant_a.sla_policy_id = self.policy
            self._run_cron(NOW)
            self.assertEqual(line.outcome, "pass")
            self.assertIn(
                f"SLA policy {self.version.display_name}, in force since", line.auto_evidence
            )

    def test_a_project_whose_tenant_is_unlinked_fails_closed(self):
        gate = self._gate()
        # worked on, the gate stays when the tenant goes; its checks then find no tenant
        self._line("Data migration signed off").evidence_note = "Migration report v2"
        self.project.sudo().tenant_ids.project_id = False
        self.assertTrue(gate.exists())
        with freeze_time(NOW):
            gate.with_user(self.channel_user).action_evaluate()
        line = gate.line_ids.filtered(lambda line: line.name == "SLA policy assigned")
        self.assertEqual(line.outcome, "fail")
        self.assertIn("No tenant delivers", line.auto_evidence)

    def test_the_tenant_go_live_gate_gives_the_same_evidence(self):
        gate = self.tenant_a.gate_ids.filtered(lambda g: g.state == "open")
        self.assertEqual(
            gate.template_id, self.env.ref("white_label_tenant.gate_template_tenant_go_live")
        )
        with freeze_time(NOW):
            gate.with_user(self.manager).action_evaluate()
        lines = {line.python_check: line for line in gate.line_ids}
        self.assertEqual(lines["tenant_sla_assigned"].outcome, "pass")
        self.assertIn(self.version.display_name, lines["tenant_sla_assigned"].auto_evidence)
        self.assertEqual(lines["tenant_restore_verified"].outcome, "fail")
        self.assertIn(
            "no restore test passed since", lines["tenant_restore_verified"].auto_evidence
        )
