import os
import shutil
import subprocess
from datetime import datetime, timedelta

from psycopg2 import sql

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import config

from ..backends.local_upgrade import odoo_update_command
from .common import LocalDatabaseCase, admin_sql

FIXTURE = os.path.join(os.path.dirname(__file__), "upgrade_fixture", "wlt_upgrade_fixture")


class UpgradeCampaignCase(LocalDatabaseCase):
    """Tenant A with a running staging and production environment (the shared test template:
    a small database, not an Odoo one)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staging = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "stage": "staging",
                "database_name": f"{cls.prefix}_stg",
                "template_database": cls.template,
                "plan_id": cls.plan.id,
            }
        )

    def _provision(self):
        (self.staging | self.production).action_provision()
        self.assertEqual((self.staging | self.production).mapped("state"), ["active", "active"])

    def _campaign(self, **vals):
        return (
            self.env["tenant.upgrade.campaign"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Fixture upgrade",
                    "module_names": "wlt_upgrade_fixture",
                    "tenant_ids": [(6, 0, self.tenant_a.ids)],
                    **vals,
                }
            )
        )

    def _window_start(self):
        """The next maintenance window of tenant A (Sunday 02:00 Brussels, the default), from
        the real clock: provisioning stamps the real date."""
        _open, window = self.tenant_a._maintenance_state_at(fields.Datetime.now())
        return window[0]


@tagged("post_install", "-at_install")
class TestUpgradeCampaignRules(UpgradeCampaignCase):
    def test_maintenance_windows_come_from_the_policy_version(self):
        # the default window: Sunday 02:00 for 4 hours in the working hours' zone (Brussels)
        self.assertEqual(self.version.maintenance_tz, "Europe/Brussels")
        windows = self.tenant_a._maintenance_windows(datetime(2026, 3, 23), datetime(2026, 4, 6))
        # the second Sunday is after the spring change: 02:00 CEST is 00:00 UTC
        self.assertEqual(
            windows,
            [
                (datetime(2026, 3, 29, 1, 0), datetime(2026, 3, 29, 5, 0)),
                (datetime(2026, 4, 5, 0, 0), datetime(2026, 4, 5, 4, 0)),
            ],
        )
        no_policy = self.env["tenant.tenant"].create(
            {"name": "No policy", "partner_id": self.partner_b.id}
        )
        self.assertEqual(
            no_policy._maintenance_windows(datetime(2026, 3, 23), datetime(2026, 4, 6)), []
        )
        self.assertIn("Sunday 02:00 (4 h 00 min", self.version.maintenance_window_display)

    def test_an_invalid_window_names_the_fields_to_fix(self):
        draft = self.version.copy({"state": "draft"})
        with self.assertRaisesRegex(ValidationError, "Window Length"):
            draft.write({"maintenance_duration": 0})
        with self.assertRaisesRegex(ValidationError, "Window Starts At"):
            draft.write({"maintenance_start": 24.5})
        # an active version is a contract: its window does not change
        with self.assertRaises(UserError):
            self.version.write({"maintenance_sat": True})

    def test_start_refuses_a_suspended_tenant(self):
        self._provision()
        campaign = self._campaign()
        self.tenant_a._workflow_write({"state": "suspended"})
        with self.assertRaisesRegex(UserError, "Secret Retail ERP is suspended"):
            campaign.action_start()
        self.assertEqual(campaign.state, "draft")

    def test_only_managers_run_or_override_campaigns(self):
        self._provision()
        campaign = self._campaign()
        as_user = campaign.with_user(self.channel_user)
        with self.assertRaises(AccessError):
            as_user.action_start()
        with self.assertRaises(AccessError):
            as_user.write({"override_window": True, "override_reason": "Hotfix"})
        with self.assertRaisesRegex(ValidationError, "Override Reason"):
            campaign.write({"override_window": True})
        campaign.write({"override_window": True, "override_reason": "Security fix tonight"})
        self.assertEqual(campaign.override_by_id, self.manager)
        with self.assertRaises(AccessError):
            campaign.write({"state": "done"})

    def test_production_waits_for_a_passed_staging_run_and_its_window(self):
        self._provision()
        campaign = self._campaign()
        campaign.action_start()
        self.assertEqual(campaign.state, "staging")
        self.assertEqual(campaign.step_ids.mapped("kind"), ["staging", "production"])
        # the gate: no move to production without a passed staging run
        with self.assertRaisesRegex(UserError, "passed staging run"):
            campaign._workflow_write({"state": "production"})
        step = campaign.step_ids.filtered(lambda s: s.kind == "production")
        with self.assertRaises(AccessError):
            step.write({"state": "passed"})
        # outside its window a person is told when the window opens
        outside = self._window_start() - timedelta(hours=3)
        with self.assertRaisesRegex(UserError, "next window opens"):
            step._ready(outside, interactive=True)
        self.assertFalse(step._ready(outside))
        self.assertTrue(step._ready(self._window_start() + timedelta(minutes=5)))
        campaign.write({"override_window": True, "override_reason": "Security fix tonight"})
        self.assertTrue(step._ready(outside, interactive=True))

    def test_a_database_without_the_modules_is_never_upgraded(self):
        """The test template is no Odoo database: odoo-bin -u would initialise one there. The
        staging step fails with that reason, the campaign stops, production is skipped."""
        self._provision()
        self.staging.action_read_versions()
        self.assertFalse(self.staging.odoo_version)
        self.assertFalse(self.staging.module_versions)
        campaign = self._campaign()
        with self.assertRaisesRegex(UserError, "not running: start it first"):
            campaign.action_run()
        campaign.action_start()
        # the scheduled action runs it, in a bounded slice
        ran = self.env["tenant.upgrade.campaign"]._cron_advance(self._window_start(), limit=5)
        self.assertEqual(ran, 1)
        staging, production = campaign.step_ids
        self.assertEqual(staging.state, "failed")
        self.assertIn("wlt_upgrade_fixture not installed", staging.log)
        self.assertEqual(production.state, "skipped")
        self.assertEqual(campaign.state, "stopped")
        self.assertEqual(
            admin_sql("SELECT to_regclass('ir_module_module')", dbname=self.staging.database_name),
            [(None,)],
        )

    def test_campaigns_of_another_company_are_invisible(self):
        company_b = self.env["res.company"].create({"name": "Upgrade Ops B"})
        campaign_b = self.env["tenant.upgrade.campaign"].create(
            {"name": "B only", "module_names": "base", "company_id": company_b.id}
        )
        Campaign = self.env["tenant.upgrade.campaign"].with_user(self.manager)
        self.assertFalse(Campaign.search([("id", "=", campaign_b.id)]))
        self.assertTrue(
            self.env["tenant.upgrade.campaign"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.manager.company_ids.ids)
            .search([("id", "=", self._campaign().id)])
        )

    def test_the_tenant_shows_its_window(self):
        self.assertIn("Sunday 02:00", self.tenant_a.maintenance_window_display)
        self.assertEqual(self.tenant_a.next_maintenance_at, self._window_start())

    def test_versions_are_not_typed(self):
        with self.assertRaisesRegex(AccessError, "Read Versions"):
            self.production.with_user(self.manager).write({"odoo_version": "17.0"})


@tagged("post_install", "-at_install")
class TestUpgradeCampaignRealOdoo(UpgradeCampaignCase):
    """One real Odoo database (base + the fixture module, built once by odoo-bin), copied into
    staging and production by the local backend; the upgrade is a real odoo-bin -u."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addons = os.path.join(config["data_dir"], f"{cls.prefix}_addons")
        cls.addClassCleanup(shutil.rmtree, cls.addons, ignore_errors=True)
        cls.addClassCleanup(cls._drop_filestores)
        shutil.copytree(FIXTURE, os.path.join(cls.addons, "wlt_upgrade_fixture"))
        cls.odoo_template = f"{cls.prefix}_odoo"
        admin_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cls.odoo_template)))
        command = odoo_update_command(cls.odoo_template, ["base"], [cls.addons])
        command = [
            "--init=wlt_upgrade_fixture" if arg.startswith("--update=") else arg for arg in command
        ] + ["--without-demo=all"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        assert not result.returncode, result.stderr[-3000:]
        # the next release of the fixture: 18.0.1.0.1, with its migration
        manifest = os.path.join(cls.addons, "wlt_upgrade_fixture", "__manifest__.py")
        with open(manifest) as f:
            text = f.read()
        with open(manifest, "w") as f:
            f.write(text.replace('"18.0.1.0.0"', '"18.0.1.0.1"'))
        cls.env["ir.config_parameter"].sudo().set_param(
            "white_label_tenant.upgrade_addons_path", cls.addons
        )
        (cls.staging | cls.production).write({"template_database": cls.odoo_template})

    @classmethod
    def _drop_filestores(cls):
        root = os.path.join(config["data_dir"], "filestore")
        for name in os.listdir(root) if os.path.isdir(root) else ():
            if name.startswith(cls.prefix):
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)

    def _fixture_version(self, env):
        rows = admin_sql(
            "SELECT latest_version, state FROM ir_module_module WHERE name = 'wlt_upgrade_fixture'",
            dbname=env.database_name,
        )
        return rows[0]

    def test_staging_passes_production_fails_and_is_rolled_back_from_its_backup(self):
        self._provision()
        prod = self.production.database_name
        # production asks its upgrade to fail, and holds data the rollback must bring back
        admin_sql("CREATE TABLE wlt_fixture_fail_upgrade (note varchar)", dbname=prod)
        admin_sql("INSERT INTO wlt_fixture_fail_upgrade VALUES ('before')", dbname=prod)
        self.production.action_read_versions()
        self.assertEqual(self.production.odoo_version, "18.0")
        self.assertEqual(
            self.production.module_versions["wlt_upgrade_fixture"],
            {"version": "18.0.1.0.0", "state": "installed"},
        )
        campaign = self._campaign()
        campaign.action_start()
        now = self._window_start() + timedelta(minutes=1)
        campaign._advance(now, limit=5)
        staging, production = campaign.step_ids
        # staging: upgraded for real, smoke-checked, versions read again
        self.assertEqual(staging.state, "passed", staging.log)
        self.assertEqual(self._fixture_version(self.staging), ("18.0.1.0.1", "installed"))
        self.assertEqual(
            self.staging.module_versions["wlt_upgrade_fixture"]["version"], "18.0.1.0.1"
        )
        # the governed move to production passed its gate
        gates = self.env["governance.gate"].search(
            [("res_model", "=", campaign._name), ("res_id", "=", campaign.id)]
        )
        self.assertEqual(gates.mapped("state"), ["passed"])
        # production: backed up, the migration raised, the backup was restored over it
        self.assertEqual(production.state, "rolled_back", production.log)
        self.assertIn("asked the upgrade to fail", production.log)
        self.assertEqual(production.backup_id.kind, "upgrade")
        self.assertEqual(production.backup_id.state, "done")
        self.assertGreater(production.rollback_duration_seconds, 0)
        self.assertEqual(production.rolled_back_by_id, self.manager)
        self.assertEqual(production.user_id, self.manager)
        self.assertTrue(production.rolled_back_at)
        self.assertEqual(self._fixture_version(self.production), ("18.0.1.0.0", "installed"))
        self.assertEqual(
            admin_sql("SELECT note FROM wlt_fixture_fail_upgrade", dbname=prod), [("before",)]
        )
        # the restored database is still the suite's own, for that very environment
        self.assertTrue(self.tenant_a._get_backend().created_by_suite(self.production))
        self.assertEqual(
            self.production.module_versions["wlt_upgrade_fixture"]["version"], "18.0.1.0.0"
        )
        self.assertEqual(campaign.state, "rolled_back")
        self.assertFalse(self.production.operation)


@tagged("post_install", "-at_install")
class TestUpgradeCampaignDemo(UpgradeCampaignCase):
    def test_the_demo_shows_a_done_and_a_rolled_back_campaign(self):
        harbor = self.env.ref("white_label_tenant.demo_tenant_harbor", raise_if_not_found=False)
        costa = self.env.ref("white_label_tenant.demo_tenant_costa", raise_if_not_found=False)
        if not (harbor and costa):
            self.skipTest("no demo data")
        tenants = harbor | costa
        self.env["tenant.upgrade.campaign"].search([("tenant_ids", "in", tenants.ids)]).unlink()
        campaigns = self.env["tenant.upgrade.campaign.demo"]._generate(tenants.ids)
        self.assertEqual(campaigns.mapped("state"), ["done", "rolled_back"])
        done, rolled = campaigns
        self.assertEqual(set(done.step_ids.mapped("state")), {"passed"})
        self.assertEqual(
            done.step_ids.mapped("kind"), ["staging", "staging", "production", "production"]
        )
        failed = rolled.step_ids.filtered(lambda s: s.state == "rolled_back")
        self.assertEqual(failed.rollback_duration_seconds, 42.0)
        self.assertEqual(
            harbor.environment_ids.filtered("module_versions")[:1].odoo_version, "18.0"
        )
