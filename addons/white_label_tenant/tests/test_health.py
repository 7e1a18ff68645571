from datetime import date, datetime, timedelta
from unittest.mock import patch

from psycopg2 import sql

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from ..backends.local import LocalPostgresBackend
from .common import TenantCase, admin_sql
from .test_batch import FlatQueryCountMixin

DAY = date(2026, 6, 15)
ADOPTION = {"active_users": 6, "installed_apps": 2, "app_names": ["crm", "sale_management"]}


@tagged("post_install", "-at_install")
class TestTenantHealth(TenantCase):
    """Tenant A on 15 June 2026, computed by hand:

    - adoption: 6 of 10 expected users active, 2 of 4 expected apps: 0.7 x 60 + 0.3 x 50 = 57;
    - support: one critical and two normal incidents open: load 8 + 2 + 2 = 12 -> 100 x 10/22;
    - stability: 499 of 500 probes up against 99.9 % (twice the budget: 50), one failed backup
      of three: 50 - 10 = 40;
    - commercial: no billing in this module: not measured, the other parts reweighted:
      (30 x 57 + 20 x 45.45 + 30 x 40) / 80 = 47.74, below the threshold 50: renewal risk.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tenant_a.write({"health_expected_users": 10, "health_expected_apps": 4})
        cls.env_a = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name(),
                "plan_id": cls.plan.id,
            }
        )
        for tenant in cls.tenant_a | cls.tenant_b:
            # live before the go-live gate existed for them: activated_at set first
            tenant._workflow_write({"activated_at": datetime(2026, 1, 5)})
            tenant._workflow_write({"state": "active"})
        cls.env_a._workflow_write({"state": "active"})
        # opened this morning (the SLA clocks run from the frozen clock: none breached yet)
        opened = datetime(2026, 6, 15, 9)
        with freeze_time("2026-06-15 09:30:00"):
            cls._make_incidents(opened)
        cls.env["tenant.uptime.sample"].create(
            [
                {
                    "environment_id": cls.env_a.id,
                    "probed_at": datetime(2026, 6, 15, 23) - timedelta(hours=i),
                    "ok": i != 7,
                }
                for i in range(500)
            ]
        )
        cls.env["tenant.backup"].create(
            [
                {"environment_id": cls.env_a.id, "state": state, "started_at": datetime(2026, 6, d)}
                for d, state in ((10, "done"), (11, "failed"), (12, "done"))
            ]
        )
        cls.Batch = cls.env["tenant.health.batch"]
        cls.Snapshot = cls.env["tenant.health.snapshot"]

    @classmethod
    def _make_incidents(cls, opened):
        cls.env["tenant.incident"].create(
            [
                {
                    "tenant_id": cls.tenant_a.id,
                    "subject": subject,
                    "priority": priority,
                    "opened_at": opened,
                }
                for subject, priority in (("Down", "1"), ("Slow", "3"), ("Report", "3"))
            ]
        )

    def _read_adoption(self, environment, since):
        return dict(ADOPTION) if environment == self.env_a else None

    def _run(self, day=DAY):
        with patch.object(LocalPostgresBackend, "read_adoption", self._read_adoption):
            return self.Batch._cron_health_snapshots(day=day)

    def _snapshot(self, tenant, day=DAY):
        return self.Snapshot.search([("tenant_id", "=", tenant.id), ("date", "=", day)])

    def test_parts_and_score_by_hand(self):
        self._run()
        snapshot = self._snapshot(self.tenant_a)
        self.assertEqual(len(snapshot), 1)
        self.assertAlmostEqual(snapshot.adoption_score, 57.0, places=4)
        self.assertAlmostEqual(snapshot.support_score, 1000 / 22, places=4)
        self.assertAlmostEqual(snapshot.support_load, 12.0)
        self.assertAlmostEqual(snapshot.stability_score, 40.0, places=4)
        self.assertAlmostEqual(snapshot.uptime, 99.8, places=4)
        self.assertEqual(snapshot.failed_backups, 1)
        self.assertFalse(snapshot.commercial_measured)
        expected = (30 * 57 + 20 * 1000 / 22 + 30 * 40) / 80
        self.assertAlmostEqual(snapshot.score, expected, places=4)
        self.assertTrue(snapshot.renewal_risk)
        self.assertEqual(snapshot.app_names, "crm, sale_management")
        # the tenant shows its latest snapshot; the filter "Renewal Risk" finds it
        self.assertAlmostEqual(self.tenant_a.health_score, expected, places=4)
        self.assertTrue(self.tenant_a.health_renewal_risk)
        Tenant = self.env["tenant.tenant"]
        at_risk = Tenant.search([("health_renewal_risk", "=", True)])
        self.assertIn(self.tenant_a, at_risk)
        self.assertNotIn(self.tenant_b, at_risk)
        self.assertIn(self.tenant_b, Tenant.search([("health_renewal_risk", "=", False)]))
        # tenant B: nothing but an empty support load is known: adoption and stability no data
        snapshot_b = self._snapshot(self.tenant_b)
        self.assertFalse(snapshot_b.adoption_measured or snapshot_b.stability_measured)
        self.assertAlmostEqual(snapshot_b.score, 100.0)
        # the end customer's health is its one tenant's
        self.assertAlmostEqual(self.customer_a.customer_health_score, expected, places=4)
        self.assertEqual(self.customer_a.customer_health_risk_count, 1)

    def test_cron_twice_a_day_does_not_duplicate_nor_notify_twice(self):
        self.assertGreaterEqual(self._run(), 2)  # with the demo's live tenants, if any
        self.assertEqual(self._run(), 0)
        self.assertEqual(len(self._snapshot(self.tenant_a)), 1)
        activities = self.tenant_a.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(activities), 1)
        self.assertIn("Renewal risk", activities.summary)
        # the next day, still at risk: no second activity (it turned on once)
        self._run(DAY + timedelta(days=1))
        self.assertEqual(len(self.tenant_a.activity_ids), 1)
        self.assertEqual(
            self.Snapshot.search(
                [("tenant_id", "=", self.tenant_a.id), ("is_latest", "=", True)]
            ).date,
            DAY + timedelta(days=1),
        )

    def test_trend_against_thirty_days_before(self):
        self.Snapshot.sudo().create(
            {
                "tenant_id": self.tenant_a.id,
                "date": DAY - timedelta(days=30),
                "score": 70.0,
                "score_measured": True,
            }
        )
        self._run()
        snapshot = self._snapshot(self.tenant_a)
        self.assertEqual(snapshot.score_before, 70.0)
        self.assertEqual(snapshot.trend, "down")
        self.assertEqual(self.tenant_a.health_trend, "down")

    def test_threshold_is_a_system_parameter(self):
        # set in the Partner Channel settings; out of range is refused naming the setting
        Settings = self.env["res.config.settings"]
        with self.assertRaisesRegex(ValidationError, "Renewal Risk Below"):
            Settings.create({"tenant_health_risk_threshold": 120}).execute()
        Settings.create({"tenant_health_risk_threshold": 40}).execute()
        self._run()
        snapshot = self._snapshot(self.tenant_a)
        self.assertAlmostEqual(snapshot.score, (30 * 57 + 20 * 1000 / 22 + 30 * 40) / 80, places=4)
        self.assertFalse(snapshot.renewal_risk)
        self.assertFalse(self.tenant_a.activity_ids)

    @freeze_time("2026-06-15 10:00:00")
    def test_refresh_action_rights_and_update_of_the_day(self):
        self._run()
        self.env["tenant.incident"].search([("tenant_id", "=", self.tenant_a.id)]).unlink()
        with patch.object(LocalPostgresBackend, "read_adoption", self._read_adoption):
            self.tenant_a.with_user(self.channel_user).action_refresh_health()
        snapshot = self._snapshot(self.tenant_a)
        self.assertEqual(len(snapshot), 1)
        self.assertAlmostEqual(snapshot.support_score, 100.0)
        with self.assertRaises(AccessError):
            self.tenant_a.with_user(self.portal_a).action_refresh_health()


@tagged("post_install", "-at_install")
class TestAdoptionFromDatabase(TenantCase):
    """The local backend reads adoption from a real database the test creates (and drops)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db_name = cls.unique_name("_adopt")
        cls.bare_name = cls.unique_name("_bare")
        for name in (cls.db_name, cls.bare_name):
            admin_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            cls.addClassCleanup(
                admin_sql,
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
            )
        # users 2-4 internal and active, 5 archived, 6 a portal (share) user; logs: 2 twice and
        # 3 within the 30 days, 4 only before, 5 and 6 within (not counted)
        admin_sql(
            "CREATE TABLE res_users (id int PRIMARY KEY, login varchar, active bool, share bool);"
            "INSERT INTO res_users VALUES (2, 'a', true, false), (3, 'b', true, false), "
            "(4, 'c', true, false), (5, 'd', false, false), (6, 'e', true, true);"
            "CREATE TABLE res_users_log (id serial PRIMARY KEY, create_uid int, create_date timestamp);"
            "INSERT INTO res_users_log (create_uid, create_date) VALUES "
            "(2, '2026-06-14 08:00'), (2, '2026-06-01 08:00'), (3, '2026-05-20 12:00'), "
            "(4, '2026-05-10 12:00'), (5, '2026-06-10 12:00'), (6, '2026-06-10 12:00');"
            "CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar, state varchar, "
            "application bool);"
            "INSERT INTO ir_module_module (name, state, application) VALUES "
            "('crm', 'installed', true), ('sale_management', 'installed', true), "
            "('stock', 'uninstalled', true), ('mail', 'installed', false);",
            dbname=cls.db_name,
        )
        cls.since = datetime(2026, 5, 17)

    def test_active_users_and_apps(self):
        environment = self.env["tenant.environment"].create(
            {"tenant_id": self.tenant_a.id, "database_name": self.db_name, "plan_id": self.plan.id}
        )
        adoption = LocalPostgresBackend(self.env).read_adoption(environment, self.since)
        self.assertEqual(
            adoption,
            {"active_users": 2, "installed_apps": 2, "app_names": ["crm", "sale_management"]},
        )

    def test_database_without_tables_or_missing_is_no_data(self):
        backend = LocalPostgresBackend(self.env)
        self.assertEqual(
            backend._read_adoption_database(self.bare_name, self.since),
            {"active_users": None, "installed_apps": None, "app_names": []},
        )
        self.assertIsNone(backend._read_adoption_database(self.unique_name("_gone"), self.since))


@tagged("post_install", "-at_install")
class TestTenantHealthPortal(TenantCase, HttpCase):
    """The owning partner sees its tenant's health on the portal page; the other partner does
    not reach the page (nor the snapshot)."""

    def test_portal_shows_own_health_only(self):
        for tenant in self.tenant_a | self.tenant_b:
            self.env["tenant.health.snapshot"].sudo().create(
                {
                    "tenant_id": tenant.id,
                    "date": "2026-06-15",
                    "score": 42.0,
                    "score_measured": True,
                    "renewal_risk": True,
                    "adoption_score": 57.0,
                    "adoption_measured": True,
                    "is_latest": True,
                }
            )
        self.authenticate("wlt_portal_a", "wlt_portal_a")
        own = self.url_open(f"/my/tenants/{self.tenant_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("o_tenant_health_score", own.text)
        self.assertIn("42", own.text)
        self.assertIn("Renewal risk", own.text)
        other = self.url_open(f"/my/tenants/{self.tenant_b.id}")
        self.assertNotIn("o_tenant_health", other.text)
        snapshot_b = self.tenant_b.sudo().health_snapshot_ids
        with self.assertRaises(AccessError):
            snapshot_b.with_user(self.portal_a).read(["score"])


@tagged("post_install", "-at_install", "is_query_count")
class TestTenantHealthQueries(FlatQueryCountMixin, TenantCase):
    """The daily run costs the same queries for 3 tenants as for 9 (each with a running
    production environment, an incident, samples and a backup): inputs in grouped queries, one
    INSERT of the snapshots. The adoption read (a connection to each tenant's own database, not
    through Odoo's cursor) is replaced by a stub here."""

    def _tenants(self, count):
        Tenant = self.env["tenant.tenant"]
        tenants = Tenant.create(
            [{"name": f"Health {count}-{i}", "partner_id": self.partner_a.id} for i in range(count)]
        )
        environments = self.env["tenant.environment"].create(
            [
                {"tenant_id": t.id, "database_name": self.unique_name(), "plan_id": self.plan.id}
                for t in tenants
            ]
        )
        for tenant in tenants:
            tenant._workflow_write({"activated_at": datetime(2026, 1, 5)})
        tenants._workflow_write({"state": "active"})
        environments._workflow_write({"state": "active"})
        self.env["tenant.incident"].create(
            [{"tenant_id": t.id, "subject": "Slow", "priority": "4"} for t in tenants]
        )
        self.env["tenant.uptime.sample"].create(
            [
                {"environment_id": e.id, "probed_at": datetime(2026, 6, 14), "ok": True}
                for e in environments
            ]
        )
        self.env["tenant.backup"].create(
            [
                {"environment_id": e.id, "state": "done", "started_at": datetime(2026, 6, 14)}
                for e in environments
            ]
        )
        return tenants

    def test_flat_query_count(self):
        counts = {}
        with patch.object(
            LocalPostgresBackend, "read_adoption", lambda self, env, since: dict(ADOPTION)
        ):
            # a first slice warms the registry's caches (parameters, SLA policy, metadata)
            self.env["tenant.health.batch"]._health_snapshot(self._tenants(1), DAY)
            for count in (3, 9):
                tenants = self._tenants(count)
                self.env.invalidate_all()
                counts[count], snapshots = self.count_queries(
                    lambda t=tenants: self.env["tenant.health.batch"]._health_snapshot(t, DAY)
                )
                self.assertEqual(len(snapshots), count)
        self.assertQueriesFlat(counts, ceiling=40)
