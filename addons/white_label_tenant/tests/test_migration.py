from datetime import datetime, timedelta

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import (
    LocalDatabaseCase,
    admin_sql,
    database_deployment,
    database_exists,
    dedicated_owner,
)

SWITCH = datetime(2026, 3, 11, 9, 30)


@tagged("post_install", "-at_install")
class TestMigration(LocalDatabaseCase):
    """Issue 15: a tenant moves from the multi-tenant platform to a dedicated environment on
    real databases: backup, real copy, health check, URL switch, the old database read-only for
    the grace period, then decommissioned by the scheduled action (who and when recorded)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tenant_a.deployment_model = "multi_tenant"
        cls.plan_ded = cls.env["tenant.plan"].create(
            {
                "name": "Dedicated M",
                "code": "WLT-DM",
                "vcpu": 4,
                "ram_gb": 16,
                "storage_gb": 200,
                "db_connection_limit": 6,
                "db_statement_timeout": 60,
                "db_work_mem_mb": 16,
            }
        )

    def setUp(self):
        super().setUp()
        with freeze_time(SWITCH - timedelta(days=30)):
            self.tenant_a.with_user(self.manager).action_provision()
        self.assertEqual(self.production.state, "active")
        self.source_db = self.production.database_name
        self.target_db = f"{self.prefix}_ded"

    def _request(self):
        action = self.production.with_user(self.manager).action_request_migration()
        self.assertEqual(
            action["context"]["default_target_database_name"], f"{self.source_db}_dedicated"
        )
        return (
            self.env["tenant.migration"]
            .with_user(self.manager)
            .create(
                {
                    "source_environment_id": self.production.id,
                    "target_plan_id": self.plan_ded.id,
                    "target_database_name": self.target_db,
                }
            )
        )

    def _orders(self, dbname):
        return admin_sql("SELECT count(*), max(amount) FROM sale_order", dbname=dbname)[0]

    def test_move_copies_switches_and_decommissions_after_grace(self):
        admin_sql("INSERT INTO sale_order (amount) VALUES (777)", dbname=self.source_db)
        migration = self._request()
        with freeze_time(SWITCH):
            migration.action_run()
        self.assertEqual(migration.state, "switched", migration.details)
        target = migration.target_environment_id
        # backup, copy with the data, the dedicated plan's own settings, the URL switched
        self.assertEqual(
            (migration.backup_id.kind, migration.backup_id.state), ("migration", "done")
        )
        self.assertEqual(self._orders(self.target_db), (501, 777))
        self.assertEqual(
            database_deployment(self.target_db),
            (dedicated_owner(self.target_db), 6, ["statement_timeout=60s", "work_mem=16MB"]),
        )
        self.assertEqual((target.state, target.stage), ("active", "production"))
        self.assertEqual(target.url, "https://erp.alpha.example.com")
        self.assertFalse(self.production.url)
        self.assertEqual(self.tenant_a.deployment_model, "dedicated")
        self.assertEqual(self.tenant_a._production_environments(), target)
        self.assertEqual((migration.switched_at, migration.switched_by_id), (SWITCH, self.manager))
        self.assertEqual(migration.read_only_until, SWITCH + timedelta(days=14))
        # the old database is kept, readable, and refuses writes; the new one takes them
        self.assertTrue(self.production.migration_read_only)
        self.assertEqual(self._orders(self.source_db), (501, 777))
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
            admin_sql("INSERT INTO sale_order (amount) VALUES (1)", dbname=self.source_db)
        admin_sql("INSERT INTO sale_order (amount) VALUES (1)", dbname=self.target_db)
        self.assertFalse(self.production.dr_drill_overdue, "the old one owes no drill")
        self.assertFalse(self.production.operation, "the operation guard is released")

        # the grace period: nothing is decommissioned before it ends
        Migration = self.env["tenant.migration"]
        self.assertEqual(Migration._cron_decommission_old(now=SWITCH + timedelta(days=13)), 0)
        self.assertTrue(database_exists(self.source_db))
        end = SWITCH + timedelta(days=14)
        with freeze_time(end):
            self.assertEqual(Migration._cron_decommission_old(now=end), 1)
        self.assertEqual(migration.state, "done")
        self.assertEqual(migration.decommissioned_at, end)
        self.assertEqual(migration.decommissioned_by_id, self.env.user)
        self.assertEqual(self.production.state, "decommissioned")
        self.assertFalse(database_exists(self.source_db))
        self.assertIn("final", self.production.backup_ids.mapped("kind"))
        self.assertTrue(database_exists(self.target_db), "only the old environment goes")
        self.assertEqual(Migration._cron_decommission_old(now=end), 0, "run twice: nothing left")

    def test_old_database_no_longer_the_suites_is_never_dropped(self):
        migration = self._request()
        with freeze_time(SWITCH):
            migration.action_run()
        self.assertEqual(migration.state, "switched", migration.details)
        # someone took the old database over meanwhile (its marker is no longer the suite's)
        admin_sql(f"COMMENT ON DATABASE \"{self.source_db}\" IS 'kept by the customer'")
        end = SWITCH + timedelta(days=14)
        with freeze_time(end):
            self.assertEqual(self.env["tenant.migration"]._cron_decommission_old(now=end), 1)
        self.assertTrue(database_exists(self.source_db), "left untouched")
        self.assertEqual(migration.state, "switched", "the move waits until it is settled")
        self.assertFalse(migration.decommissioned_at)
        self.assertEqual(self.production.state, "error")
        self.assertIn("not created by the suite", self.production.error_message)
        self.assertIn("was not decommissioned", migration.message_ids[0].body)

    def test_failed_copy_is_undone_and_a_foreign_database_untouched(self):
        # a database of that name exists and is not the suite's: refused, left as it was
        admin_sql(f'CREATE DATABASE "{self.target_db}"')
        migration = self._request()
        migration.action_run()
        self.assertEqual(migration.state, "failed")
        self.assertIn("already exists", migration.details)
        self.assertTrue(database_exists(self.target_db))
        self.assertEqual(migration.target_environment_id.state, "decommissioned")
        # the source is writable again, still the tenant's production, still multi-tenant
        admin_sql("INSERT INTO sale_order (amount) VALUES (5)", dbname=self.source_db)
        self.assertFalse(self.production.migration_read_only)
        self.assertEqual(self.production.url, "https://erp.alpha.example.com")
        self.assertEqual(self.tenant_a.deployment_model, "multi_tenant")
        self.assertEqual(self.tenant_a._production_environments(), self.production)
        with self.assertRaisesRegex(UserError, "only a requested move runs"):
            migration.action_run()

    def test_refusals_mid_upgrade_dedicated_and_rights(self):
        migration = self._request()
        self.production._operation_begin("upgrade")
        with self.assertRaisesRegex(UserError, "Upgrade is in progress there"):
            migration.action_run()
        self.assertEqual(migration.state, "draft")
        self.assertFalse(database_exists(self.target_db))
        self.production._operation_end()
        # a Channel User reads the moves, never requests nor runs one
        self.assertEqual(migration.with_user(self.channel_user).state, "draft")
        with self.assertRaises(AccessError):
            migration.with_user(self.channel_user).action_run()
        with self.assertRaises(AccessError):
            self.env["tenant.migration"].with_user(self.channel_user).create(
                {
                    "source_environment_id": self.production.id,
                    "target_plan_id": self.plan_ded.id,
                    "target_database_name": f"{self.prefix}_x",
                }
            )
        with self.assertRaises(AccessError):
            migration.write({"state": "done"})
        with self.assertRaises(AccessError):
            self.production.with_user(self.manager).write({"migration_read_only": True})
        with self.assertRaises(AccessError):
            self.production.with_user(self.channel_user).action_request_migration()
        # a dedicated tenant has nothing to move
        self.tenant_a.with_user(self.manager).deployment_model = "dedicated"
        with self.assertRaisesRegex(UserError, "not the production of a multi-tenant"):
            self.production.with_user(self.manager).action_request_migration()
        with self.assertRaisesRegex(UserError, "already dedicated"):
            migration.action_run()
