from datetime import date, datetime

from odoo.tests import tagged

from .common import GovernanceCase

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


@tagged("post_install", "-at_install")
class TestCompanyScope(GovernanceCase):
    """Issue 11: partner A implements projects for company A and company B; each company's
    governance metrics count its own projects and gates (and the shared project, without a
    company, in both), never the other company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Governance Company B"})
        Project = cls.env["project.project"]
        projects = {}
        for key, company, scope_changes in (
            ("a", cls.company_a, 1),
            ("b", cls.company_b, 5),
            ("shared", False, 3),
        ):
            projects[key] = Project.create(
                {
                    "name": f"Project {key}",
                    "channel_partner_id": cls.partner_a.id,
                    "company_id": company and company.id,
                    "scope_change_count": scope_changes,
                }
            )
            projects[key].actual_go_live_date = "2026-11-10"
        Gate = cls.env["governance.gate"].sudo()
        template = cls.go_live
        # a go-live passed without waiver in A, with one in B
        for key, company, waivers in (("a", cls.company_a, 0), ("b", cls.company_b, 1)):
            Gate._workflow_create(
                {
                    "template_id": template.id,
                    "name": template.name,
                    "res_model_id": template.model_id.id,
                    "res_id": projects[key].id,
                    "stage_value": "live",
                    "partner_id": cls.partner_a.id,
                    "company_id": company.id,
                    "state": "passed",
                    "first_pass": not waivers,
                    "waiver_count": waivers,
                    "decided_on": datetime(2026, 11, 12, 10),
                }
            )

    def test_each_company_counts_its_projects_and_gates(self):
        expected = {
            "impl_scope_change_ratio": ((1 + 3) / 2, (5 + 3) / 2),
            "gate_governance_compliance": (100.0, 0.0),
            "gate_first_pass_rate": (100.0, 0.0),
        }
        provider = self.env["partner.scorecard.provider"]
        for code, values in expected.items():
            metric = self.env["scorecard.metric"].search([("provider", "=", code)], limit=1)
            for company, value in zip((self.company_a, self.company_b), values, strict=True):
                context = provider._metric_context(company, *NOVEMBER, self.partner_a)
                with self.subTest(code=code, company=company.name):
                    result = provider._compute_metric(metric, context)
                    self.assertAlmostEqual(result[self.partner_a.id], value, places=6)
