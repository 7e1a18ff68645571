from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestMultiCompany(TenantCase):
    """Every tenant record of company B is invisible to a user of company A only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Channel Ops B"})
        groups = "partner_scorecard.group_channel_manager"
        cls.user_a = new_test_user(cls.env, login="wlt_mc_a", groups=groups)
        cls.user_ab = new_test_user(
            cls.env,
            login="wlt_mc_ab",
            groups=groups,
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)],
        )
        policy = cls.env["tenant.sla.policy"].create(
            {"name": "B Gold", "company_id": cls.company_b.id}
        )
        version = cls.env["tenant.sla.policy.version"].create(
            {
                "policy_id": policy.id,
                "effective_from": "2026-01-01 00:00:00",
                "calendar_id": cls.calendar.id,
                "target_ids": [
                    (0, 0, {"priority": "2", "response_hours": 2, "resolution_hours": 8})
                ],
            }
        )
        branding = cls.env["tenant.branding"].create(
            {"partner_id": cls.partner_b.id, "brand_name": "Beta B", "company_id": cls.company_b.id}
        )
        tenant = cls.env["tenant.tenant"].create(
            {
                "name": "Company B tenant",
                "partner_id": cls.partner_b.id,
                "company_id": cls.company_b.id,
                "sla_policy_id": policy.id,
                "branding_id": branding.id,
            }
        )
        production, staging = cls.env["tenant.environment"].create(
            [
                {
                    "tenant_id": tenant.id,
                    "stage": stage,
                    "database_name": cls.unique_name(),
                    "plan_id": cls.plan.id,
                }
                for stage in ("production", "staging")
            ]
        )
        backup = cls.env["tenant.backup"].create(
            {"environment_id": production.id, "state": "done", "started_at": "2026-03-01 02:00:00"}
        )
        cls.b_records = {
            "tenant.tenant": tenant,
            "tenant.environment": production,
            "tenant.branding": branding,
            "tenant.sla.policy": policy,
            "tenant.sla.policy.version": version,
            "tenant.sla.target": version.target_ids,
            "tenant.incident": cls.env["tenant.incident"].create(
                {"tenant_id": tenant.id, "subject": "B only"}
            ),
            "tenant.backup": backup,
            "tenant.restore.test": cls.env["tenant.restore.test"].create(
                {"backup_id": backup.id, "state": "passed"}
            ),
            "tenant.uptime.sample": cls.env["tenant.uptime.sample"].create(
                {"environment_id": production.id, "ok": True}
            ),
            "tenant.promotion": cls.env["tenant.promotion"].create(
                {"source_environment_id": staging.id, "target_environment_id": production.id}
            ),
        }

    def test_company_b_records_are_invisible_to_company_a(self):
        self.assertEqual(self.b_records["tenant.incident"].company_id, self.company_b)
        self.assertEqual(self.b_records["tenant.sla.target"].company_id, self.company_b)
        for model, record in self.b_records.items():
            with self.subTest(model=model):
                self.assertTrue(record.company_id == self.company_b)
                Model = self.env[model].with_user(self.user_a)
                self.assertFalse(Model.search([("id", "in", record.ids)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.user_a).check_access("read")
        # company A's own tenant stays visible
        self.assertEqual(
            self.env["tenant.tenant"]
            .with_user(self.user_a)
            .search([("id", "=", self.tenant_a.id)]),
            self.tenant_a,
        )

    def test_user_of_both_companies_sees_what_is_allowed(self):
        both = (self.company_a | self.company_b).ids
        for model, record in self.b_records.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user_ab)
                self.assertEqual(
                    Model.with_context(allowed_company_ids=both).search([("id", "in", record.ids)]),
                    record,
                )
                # company B not selected in the company switcher: hidden again
                self.assertFalse(
                    Model.with_context(allowed_company_ids=self.company_a.ids).search(
                        [("id", "in", record.ids)]
                    )
                )
