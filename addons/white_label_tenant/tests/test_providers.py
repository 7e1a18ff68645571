from datetime import date, datetime, timedelta

from odoo.tests import HttpCase, freeze_time, tagged

from .common import TenantCase
from .test_batch import FlatQueryCountMixin

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install", "is_query_count")
class TestScorecardProviders(FlatQueryCountMixin, TenantCase):
    """The seven tenant metrics for partners A (two tenants) and B over March 2026, against
    values computed by hand from the fixtures below. Each metric is one grouped query."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tenant_a2 = cls.env["tenant.tenant"].create(
            {"name": "Alpha second", "partner_id": cls.partner_a.id}
        )
        Environment = cls.env["tenant.environment"]
        cls.env_a, cls.env_a2, cls.env_b = Environment.create(
            [
                {"tenant_id": tenant.id, "database_name": cls.unique_name(), "plan_id": cls.plan.id}
                for tenant in (cls.tenant_a, cls.tenant_a2, cls.tenant_b)
            ]
        )
        # live tenants: A's went live in March after 3.5 and 10 days, B's in February
        for tenant, requested, activated in (
            (cls.tenant_a, datetime(2026, 3, 1), datetime(2026, 3, 4, 12)),
            (cls.tenant_a2, datetime(2026, 2, 20), datetime(2026, 3, 2)),
            (cls.tenant_b, datetime(2026, 2, 1), datetime(2026, 2, 15)),
        ):
            # live before the go-live gate existed for them: activated_at set first
            tenant._workflow_write(
                {"provisioning_requested_at": requested, "activated_at": activated}
            )
            tenant._workflow_write({"state": "active"})

        # uptime: A 8 of 10 samples up in March (one April failure ignored), B 4 of 4
        samples = [(cls.env_a, 3, True)] * 7 + [(cls.env_a, 10, False)]
        samples += [(cls.env_a2, 5, True), (cls.env_a2, 6, False), (cls.env_b, 1, True)]
        samples += [(cls.env_b, 31, True)] * 3
        cls.env["tenant.uptime.sample"].create(
            [
                {"environment_id": env.id, "probed_at": datetime(2026, 3, day, 10), "ok": ok}
                for env, day, ok in samples
            ]
            + [{"environment_id": cls.env_a.id, "probed_at": datetime(2026, 4, 1), "ok": False}]
        )

        # incidents (opened, resolved, outcome): A opened 5 in March, 2 met and 1 breached
        # measured; resolved in March after 2, 4, 9 and (opened in February) 12 hours
        incidents = [
            (cls.tenant_a, datetime(2026, 3, 2, 8), 2, "met"),
            (cls.tenant_a, datetime(2026, 3, 3, 8), 4, "met"),
            (cls.tenant_a2, datetime(2026, 3, 9, 8), 9, "breached"),
            (cls.tenant_a2, datetime(2026, 3, 20, 8), None, "pending"),
            (cls.tenant_a, datetime(2026, 3, 21, 8), None, "none"),
            (cls.tenant_a, datetime(2026, 2, 28, 18), 12, "met"),
            (cls.tenant_b, datetime(2026, 3, 15, 8), 3, "breached"),
        ]
        Incident = cls.env["tenant.incident"]
        for tenant, opened, hours, outcome in incidents:
            incident = Incident.create(
                {"tenant_id": tenant.id, "subject": "Fixture", "opened_at": opened}
            )
            incident._write_clock(
                {
                    "state": "resolved" if hours else "in_progress",
                    "resolved_at": opened + timedelta(hours=hours) if hours else False,
                    "sla_outcome": outcome,
                }
            )

        # backups started in March: A 3 done and 1 failed, B 1 failed; restore tests A 1 of 2
        Backup = cls.env["tenant.backup"]
        backups = Backup.create(
            [
                {
                    "environment_id": env.id,
                    "state": state,
                    "started_at": datetime(2026, 3, day, 2),
                    "finished_at": datetime(2026, 3, day, 3),
                }
                for env, day, state in (
                    (cls.env_a, 1, "done"),
                    (cls.env_a, 2, "done"),
                    (cls.env_a2, 2, "done"),
                    (cls.env_a2, 3, "failed"),
                    (cls.env_b, 3, "failed"),
                )
            ]
            + [
                {
                    "environment_id": cls.env_b.id,
                    "state": "done",
                    "started_at": datetime(2026, 2, 27, 2),
                }
            ]
        )
        cls.env["tenant.restore.test"].create(
            [
                {
                    "backup_id": backups[0].id,
                    "started_at": datetime(2026, 3, 1, 5),
                    "state": "passed",
                },
                {
                    "backup_id": backups[2].id,
                    "started_at": datetime(2026, 3, 2, 5),
                    "state": "failed",
                },
                {
                    "backup_id": backups[5].id,
                    "started_at": datetime(2026, 3, 1, 5),
                    "state": "passed",
                },
            ]
        )
        cls.partners = (cls.partner_a | cls.partner_b).ids
        # as many again twice over, with a tenant and an incident each but nothing in March:
        # they add no values and no queries
        cls.more_partners = cls.env["res.partner"].create(
            [{"name": f"Idle partner {i}", "is_company": True} for i in range(4)]
        )
        for partner in cls.more_partners:
            idle = cls.env["tenant.tenant"].create({"name": partner.name, "partner_id": partner.id})
            Incident.create(
                {"tenant_id": idle.id, "subject": "Idle", "opened_at": datetime(2026, 5, 2, 8)}
            )
        cls.provider = cls.env["partner.scorecard.provider"]

    def _values(self, code):
        metric = self.env.ref(f"white_label_tenant.metric_{code}")
        self.assertEqual(metric.provider, code)  # read now: only the metric's query is counted
        company = self.env.company  # read once, outside the counted calls
        queries, values = {}, {}
        for partner_ids in (self.partners, self.partners + self.more_partners.ids):
            queries[len(partner_ids)], values[len(partner_ids)] = self.count_queries(
                lambda ids=partner_ids: self.provider._compute_metric(
                    metric, self.provider._metric_context(company, *MARCH, ids)
                )
            )
        self.assertQueriesFlat(queries, ceiling=3)
        self.assertEqual(values[2], values[6])
        return values[2]

    def assertValues(self, code, expected):
        values = self._values(code)
        self.assertEqual(set(values), set(expected), code)
        for partner_id, value in expected.items():
            self.assertAlmostEqual(values[partner_id], value, places=6, msg=code)

    def test_uptime(self):
        self.assertValues("tenant_uptime", {self.partner_a.id: 80.0, self.partner_b.id: 100.0})

    def test_sla_compliance_counts_measured_incidents_only(self):
        self.assertValues(
            "tenant_sla_compliance", {self.partner_a.id: 200 / 3, self.partner_b.id: 0.0}
        )

    def test_backup_success(self):
        self.assertValues(
            "tenant_backup_success", {self.partner_a.id: 75.0, self.partner_b.id: 0.0}
        )

    def test_restore_test_pass_rate(self):
        self.assertValues(
            "tenant_restore_pass_rate", {self.partner_a.id: 50.0, self.partner_b.id: 100.0}
        )

    def test_incident_rate_per_live_tenant(self):
        # A: 5 incidents opened in March over 2 live tenants; B: 1 over 1
        self.assertValues("tenant_incident_rate", {self.partner_a.id: 2.5, self.partner_b.id: 1.0})

    def test_mttr_over_incidents_resolved_in_period(self):
        self.assertValues(
            "tenant_mttr", {self.partner_a.id: (2 + 4 + 9 + 12) / 4, self.partner_b.id: 3.0}
        )

    def test_provisioning_lead_time_of_tenants_live_in_period(self):
        # B went live in February: no value, not zero
        self.assertValues("tenant_provisioning_lead_time", {self.partner_a.id: (3.5 + 10) / 2})

    def test_figures_agree_with_providers(self):
        figures = self.env["tenant.operations"]._get_figures(*MARCH, "partner_id", self.partners)
        a, b = figures[self.partner_a.id], figures[self.partner_b.id]
        self.assertAlmostEqual(a["uptime"], 0.8)
        self.assertAlmostEqual(a["sla_compliance"], 2 / 3)
        self.assertAlmostEqual(a["mttr_hours"], 6.75)
        self.assertAlmostEqual(a["backup_success"], 0.75)
        self.assertAlmostEqual(a["restore_pass"], 0.5)
        self.assertAlmostEqual(a["provisioning_lead_days"], 6.75)
        self.assertAlmostEqual(b["uptime"], 1.0)
        self.assertNotIn("provisioning_lead_days", b)

    @freeze_time("2026-03-31 12:00:00")  # the tenant figures cover 2-31 March
    def test_tenant_figures_say_no_data_and_budget_consumed(self):
        fresh = self.env["tenant.tenant"].create(
            {"name": "Nothing measured yet", "partner_id": self.partner_a.id}
        )
        for name in (
            "uptime_30d_text",
            "error_budget_30d_text",
            "sla_compliance_30d_text",
            "backup_success_30d_text",
            "restore_pass_30d_text",
        ):
            self.assertEqual(fresh[name], "no data", name)
        # A's first tenant: 7 of 8 probes up in the window against a 99.9 % SLO: the budget
        # (8 x 0.1 % = 0.008 failures) is spent 125 times over, not "-12400 % left"
        self.assertEqual(self.tenant_a.uptime_30d_text, "87.500 %")
        self.assertEqual(
            self.tenant_a.error_budget_30d_text, "12500.0 % consumed, burn rate 125.00"
        )
        # met 2 of 2 measured incidents opened in the window (the open and the unmeasured one
        # do not count); one backup of two restore tests
        self.assertEqual(self.tenant_a.sla_compliance_30d_text, "100.0 %")


@tagged("post_install", "-at_install")
class TestNoDataInPortal(TenantCase, HttpCase):
    def test_portal_shows_no_data_rather_than_zero(self):
        self.portal_a.password = "wlt_portal_a"
        fresh = self.env["tenant.tenant"].create(
            {"name": "Nothing measured yet", "partner_id": self.partner_a.id}
        )
        self.authenticate("wlt_portal_a", "wlt_portal_a")
        page = self.url_open(f"/my/tenants/{fresh.id}").text
        self.assertIn("Nothing measured yet", page)
        self.assertIn("no data", page)
        self.assertNotIn("0.000", page)
        self.assertNotIn("0.0 %", page)
        listing = self.url_open("/my/tenants").text
        self.assertIn("no data", listing)
