from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestPartnerLifecycle(GovernanceCase):
    def _membership(self, partner):
        partner_type = self.env["partner.type"].search([], limit=1) or self.env[
            "partner.type"
        ].create({"name": "Implementation partner (test)", "code": "impl_test"})
        return self.env["partner.membership"].create(
            {"partner_id": partner.id, "partner_type_id": partner_type.id}
        )

    def test_lifecycle_stages_are_gated(self):
        membership = self._membership(self.partner_a)
        self.assertEqual(membership.lifecycle_stage, "recruitment")
        gate = self._gate(membership, "commercial_alignment")
        self.assertTrue(gate)
        self.assertEqual(gate.partner_id, self.partner_a)
        with self.assertRaises(UserError) as error:
            membership.lifecycle_stage = "commercial_alignment"
        self.assertIn("Partner agreement signed", str(error.exception))
        # the partner ticks the agreement from the portal (controller path: sudo as portal user)
        line = self._line(gate, "Partner agreement signed")
        line.sudo().evidence_note = "Signed agreement #2026-114"
        line.with_user(self.portal_a).sudo().action_tick()
        self._approve_all(gate)
        membership.lifecycle_stage = "commercial_alignment"
        self.assertEqual(gate.state, "passed")

        # technical enablement needs certified consultants
        enablement = self._gate(membership, "technical_enablement")
        self._tick_all(enablement)
        with self.assertRaises(UserError) as error:
            membership.lifecycle_stage = "technical_enablement"
        self.assertIn("Consultants certified", str(error.exception))
        consultant = self.env["res.partner"].create(
            {"name": "Certified consultant", "parent_id": self.partner_a.id}
        )
        cert_type = self.env["partner.certification.type"].create(
            {"name": "Odoo Functional (test)", "code": "gov_test_functional"}
        )
        self.env["partner.certification"].create(
            {
                "partner_id": self.partner_a.id,
                "consultant_id": consultant.id,
                "certification_type_id": cert_type.id,
            }
        )
        membership.lifecycle_stage = "technical_enablement"
        self.assertEqual(membership.gate_state, "open")  # next gate (go-live) opened
        self.assertTrue(self._gate(membership, "go_live"))


@tagged("post_install", "-at_install")
class TestGovernanceProviders(GovernanceCase):
    """Metric providers against hand-computed values (period: November 2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Project = cls.env["project.project"]
        base = {"channel_partner_id": cls.partner_a.id}
        # partner A: three projects live in November, one in October (outside the period)
        cls.p1 = Project.create(
            {
                **base,
                "name": "P1",
                "planned_go_live_date": "2026-11-10",
                "budget_hours": 100,
                "actual_hours": 90,
                "scope_change_count": 1,
            }
        )
        cls.p2 = Project.create(
            {
                **base,
                "name": "P2",
                "planned_go_live_date": "2026-11-01",
                "budget_hours": 100,
                "actual_hours": 130,
                "scope_change_count": 3,
            }
        )
        cls.p3 = Project.create({**base, "name": "P3", "scope_change_count": 2})
        cls.p_old = Project.create(
            {
                **base,
                "name": "Old",
                "planned_go_live_date": "2026-10-01",
                "budget_hours": 10,
                "actual_hours": 5,
            }
        )
        # go-live dates are written as the project's history, outside the gate flow
        for project, day in (
            (cls.p1, "2026-11-08"),
            (cls.p2, "2026-11-15"),
            (cls.p3, "2026-11-20"),
            (cls.p_old, "2026-10-05"),
        ):
            project.actual_go_live_date = day
        Task = cls.env["project.task"]
        tasks = Task.browse()
        for project, count in ((cls.p1, 2), (cls.p2, 1)):
            for index in range(count):
                tasks |= Task.create(
                    {
                        "name": f"Defect {index}",
                        "project_id": project.id,
                        "is_post_go_live_defect": True,
                    }
                )
        tasks |= Task.create({"name": "Not a defect", "project_id": cls.p3.id})
        # raised on 20 November 2026 whatever the real date (create_date is PostgreSQL's now())
        tasks.flush_recordset()
        cls.env.cr.execute(
            "UPDATE project_task SET create_date = %s WHERE id = ANY(%s)",
            [datetime(2026, 11, 20, 9, 0), tasks.ids],
        )
        tasks.invalidate_recordset(["create_date"])
        # partner B: no project at all -> missing, never zero
        cls.period = (date(2026, 11, 1), date(2026, 11, 30))

    def _value(self, provider, partner):
        metric = self.env["scorecard.metric"].search([("provider", "=", provider)], limit=1)
        Provider = self.env["partner.scorecard.provider"]
        context = Provider._metric_context(
            self.env.company, *self.period, [self.partner_a.id, self.partner_b.id]
        )
        values = Provider._compute_metric(metric, context)
        self.assertNotIn(self.partner_b.id, values, "a partner without data must be missing")
        return values.get(partner.id)

    def test_on_time_go_live(self):
        # P1 on time, P2 late, P3 has no plan (not on time): 1/3
        self.assertAlmostEqual(self._value("impl_on_time_go_live", self.partner_a), 100 / 3)

    def test_budget_adherence(self):
        # only projects with a budget: P1 within, P2 over -> 50%
        self.assertAlmostEqual(self._value("impl_budget_adherence", self.partner_a), 50.0)

    def test_scope_change_ratio(self):
        self.assertAlmostEqual(self._value("impl_scope_change_ratio", self.partner_a), 2.0)

    def test_post_go_live_issues(self):
        # 3 defects raised in November over the partner's 4 projects live by its end
        self.assertAlmostEqual(self._value("impl_post_go_live_issues", self.partner_a), 3 / 4)

    def test_gate_rates(self):
        template = self.go_live
        Gate = self.env["governance.gate"].sudo()

        def gate(project, state, first_pass, waivers, day):
            return Gate._workflow_create(
                {
                    "template_id": template.id,
                    "name": template.name,
                    "res_model_id": template.model_id.id,
                    "res_id": project.id,
                    "stage_value": "live",
                    "partner_id": self.partner_a.id,
                    "state": state,
                    "first_pass": first_pass,
                    "waiver_count": waivers,
                    "decided_on": datetime.fromisoformat(day),
                }
            )

        gate(self.p1, "passed", True, 0, "2026-11-08 10:00:00")
        gate(self.p2, "hold", False, 0, "2026-11-10 10:00:00")
        gate(self.p2, "passed", False, 1, "2026-11-15 10:00:00")
        gate(self.p3, "passed", True, 0, "2026-12-01 00:00:00")  # outside the period
        # decided: 3 in November, 1 first-pass go -> 33.3%; passed: 2, 1 without waiver -> 50%
        self.assertAlmostEqual(self._value("gate_first_pass_rate", self.partner_a), 100 / 3)
        self.assertAlmostEqual(self._value("gate_governance_compliance", self.partner_a), 50.0)
