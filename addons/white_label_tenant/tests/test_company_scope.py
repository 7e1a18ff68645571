from datetime import date, datetime

from odoo.tests import tagged

from .common import TenantCase

MARCH = (date(2021, 3, 1), date(2021, 3, 31))


class TwoCompanyTenantCase(TenantCase):
    """Partner A runs a tenant in company A (the TenantCase one) and one in company B, both live
    in March 2021, with different figures:

    ===================  =========================  ==========================
    March 2021           company A                  company B
    ===================  =========================  ==========================
    probes               3 up of 4 (75 %)           1 up of 2 (50 %)
    backups              1 done of 1 (100 %)        1 done of 2 (50 %)
    restore tests        1 passed of 1 (100 %)      0 passed of 1 (0 %)
    incidents opened     none (0 per live tenant)   2 (2 per live tenant)
    provisioning         requested 1st, live 4th    requested 1st, live 11th
    ===================  =========================  ==========================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Tenant Ops B"})
        cls.tenant_a_in_b = cls.env["tenant.tenant"].create(
            {
                "name": "Alpha in B",
                "partner_id": cls.partner_a.id,
                "company_id": cls.company_b.id,
            }
        )
        Environment = cls.env["tenant.environment"]
        cls.env_in_a, cls.env_in_b = Environment.create(
            [
                {"tenant_id": tenant.id, "database_name": cls.unique_name(), "plan_id": cls.plan.id}
                for tenant in (cls.tenant_a, cls.tenant_a_in_b)
            ]
        )
        for tenant, activated in (
            (cls.tenant_a, datetime(2021, 3, 4)),
            (cls.tenant_a_in_b, datetime(2021, 3, 11)),
        ):
            tenant._workflow_write(
                {"provisioning_requested_at": datetime(2021, 3, 1), "activated_at": activated}
            )
            tenant._workflow_write({"state": "active"})
        samples = [(cls.env_in_a, True)] * 3 + [(cls.env_in_a, False)]
        samples += [(cls.env_in_b, True), (cls.env_in_b, False)]
        cls.env["tenant.uptime.sample"].create(
            [
                {"environment_id": env.id, "probed_at": datetime(2021, 3, 5 + i, 10), "ok": ok}
                for i, (env, ok) in enumerate(samples)
            ]
        )
        backup_a, backup_b, _failed_b = cls.env["tenant.backup"].create(
            [
                {
                    "environment_id": env.id,
                    "state": state,
                    "started_at": datetime(2021, 3, 12, 2),
                    "finished_at": datetime(2021, 3, 12, 3),
                }
                for env, state in (
                    (cls.env_in_a, "done"),
                    (cls.env_in_b, "done"),
                    (cls.env_in_b, "failed"),
                )
            ]
        )
        cls.env["tenant.restore.test"].create(
            [
                {"backup_id": backup.id, "started_at": datetime(2021, 3, 12, 5), "state": state}
                for backup, state in ((backup_a, "passed"), (backup_b, "failed"))
            ]
        )
        cls.env["tenant.incident"].create(
            [
                {
                    "tenant_id": cls.tenant_a_in_b.id,
                    "subject": f"B incident {day}",
                    "opened_at": datetime(2021, 3, day, 9),
                }
                for day in (16, 17)
            ]
        )


@tagged("post_install", "-at_install")
class TestCompanyScope(TwoCompanyTenantCase):
    """Issue 11: the tenant metrics of a partner count the tenants of the scorecard's company."""

    EXPECTED = {
        "tenant_uptime": (75.0, 50.0),
        "tenant_backup_success": (100.0, 50.0),
        "tenant_restore_pass_rate": (100.0, 0.0),
        "tenant_incident_rate": (0.0, 2.0),
        "tenant_provisioning_lead_time": (3.0, 10.0),
    }

    def test_each_company_context_counts_its_tenants_only(self):
        provider = self.env["partner.scorecard.provider"]
        for code, (in_a, in_b) in self.EXPECTED.items():
            metric = self.env.ref(f"white_label_tenant.metric_{code}")
            for company, expected in ((self.company_a, in_a), (self.company_b, in_b)):
                context = provider._metric_context(company, *MARCH, self.partner_a)
                with self.subTest(code=code, company=company.name):
                    values = provider._compute_metric(metric, context)
                    self.assertAlmostEqual(values[self.partner_a.id], expected, places=6)

    def test_operations_figures_per_company(self):
        Operations = self.env["tenant.operations"]
        in_a = Operations._get_figures(*MARCH, "partner_id", [self.partner_a.id], self.company_a)
        in_b = Operations._get_figures(*MARCH, "partner_id", [self.partner_a.id], self.company_b)
        self.assertAlmostEqual(in_a[self.partner_a.id]["uptime"], 0.75)
        self.assertAlmostEqual(in_b[self.partner_a.id]["uptime"], 0.5)
        self.assertAlmostEqual(in_a[self.partner_a.id]["backup_success"], 1.0)
        self.assertAlmostEqual(in_b[self.partner_a.id]["backup_success"], 0.5)
        # by default, the companies the user works in
        only_a = self.env["res.users"].browse(self.channel_user.id)
        self.assertEqual(only_a.company_ids, self.company_a)
        default = Operations.with_user(only_a)._get_figures(*MARCH, "partner_id", None)
        self.assertAlmostEqual(default[self.partner_a.id]["uptime"], 0.75)
