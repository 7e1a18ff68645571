import hashlib
import os

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LocalDatabaseCase, admin_sql, database_exists


@tagged("post_install", "-at_install")
class TestProvisioning(LocalDatabaseCase):
    """Real databases on the test PostgreSQL: every one is named wlt_<random> and dropped."""

    def test_full_lifecycle(self):
        tenant = self.tenant_a.with_user(self.manager)
        tenant.action_provision()
        self.assertEqual(self.production.state, "active")
        self.assertEqual(tenant.state, "provisioning")
        self.assertTrue(database_exists(self.production.database_name))
        # the partner's branding went into the new database's main company only
        self.assertEqual(
            self._company(self.production.database_name),
            [("Alpha Cloud ERP", "help@alpha.example.com", "#123456"), ("Second Co", None, None)],
        )
        self.assertEqual(self._company(self.template)[0][0], "Template Co")

        # go-live is refused until a restore test has passed
        # the governance gate refuses the go-live until a restore test has passed
        with self.assertRaisesRegex(UserError, "(?i)restore test"):
            tenant.action_go_live()
        self.assertEqual(tenant.state, "provisioning")

        self.production.with_user(self.manager).action_backup()
        backup = self.production.backup_ids
        self.assertEqual(backup.state, "done")
        self.assertTrue(os.path.isfile(backup.file_path))
        self.assertEqual(backup.size_bytes, os.path.getsize(backup.file_path))
        with open(backup.file_path, "rb") as dump:
            self.assertEqual(backup.checksum, hashlib.sha256(dump.read()).hexdigest())
        self.assertEqual(backup.table_count, 5)

        self.production.with_user(self.manager).action_restore_test()
        test = self.production.restore_test_ids
        self.assertEqual(test.state, "passed", test.details)
        self.assertGreater(test.duration_seconds, 0)
        self.assertGreaterEqual(test.backup_age_seconds, 0)
        self.assertEqual(test.rto_target_minutes, 30)
        self.assertTrue(test.rto_met and test.rpo_met)
        self.assertFalse(database_exists(test.scratch_database), "scratch database left behind")

        tenant.action_go_live()
        self.assertEqual(tenant.state, "active")
        self.assertEqual(tenant.state_changed_by_id, self.manager)
        self.assertTrue(tenant.activated_at)
        self.assertGreaterEqual(tenant.provisioning_lead_days, 0)

        tenant.action_suspend()
        self.assertEqual(self.production.state, "suspended")
        allow = admin_sql(
            "SELECT datallowconn FROM pg_database WHERE datname = %s",
            (self.production.database_name,),
        )
        self.assertEqual(allow, [(False,)])
        tenant.action_resume()
        self.assertEqual(self.production.state, "active")

        tenant.action_decommission()
        self.assertEqual(tenant.state, "decommissioned")
        self.assertEqual(self.production.state, "decommissioned")
        self.assertFalse(database_exists(self.production.database_name))
        final = self.production.backup_ids.filtered(lambda b: b.kind == "final")
        self.assertEqual(final.state, "done")
        self.assertTrue(os.path.isfile(final.file_path))

    def test_corrupted_backup_fails_restore_test(self):
        self.tenant_a.with_user(self.manager).action_provision()
        backup = self.production._backup()
        with open(backup.file_path, "ab") as dump:
            dump.write(b"tampered")
        test = backup._restore_test()
        self.assertEqual(test.state, "failed")
        self.assertIn("checksum", test.details)
        self.assertFalse(test.rto_met)

    def test_failed_provisioning_is_recorded_and_cleaned(self):
        self.production.template_database = f"{self.prefix}_missing"
        self.tenant_a.with_user(self.manager).action_provision()
        self.assertEqual(self.tenant_a.state, "error")
        self.assertEqual(self.production.state, "error")
        self.assertIn("does not exist", self.tenant_a.error_message)
        self.assertFalse(database_exists(self.production.database_name))
        # fixing the cause and provisioning again works from the error state
        self.production.template_database = self.template
        self.tenant_a.with_user(self.manager).action_provision()
        self.assertEqual(self.production.state, "active")
        self.assertTrue(database_exists(self.production.database_name))

    def test_branding_failure_drops_the_new_database(self):
        branding = self.tenant_a.effective_branding_id
        branding.primary_color = "#abcdef"
        admin_sql(
            "ALTER TABLE res_company ALTER COLUMN primary_color TYPE varchar(3)",
            dbname=self.template,
        )
        try:
            self.tenant_a.with_user(self.manager).action_provision()
        finally:
            admin_sql(
                "ALTER TABLE res_company ALTER COLUMN primary_color TYPE varchar",
                dbname=self.template,
            )
        self.assertEqual(self.production.state, "error")
        self.assertIn("dropped", self.production.error_message)
        self.assertFalse(database_exists(self.production.database_name))

    def test_bad_input(self):
        Environment = self.env["tenant.environment"]
        base = {"tenant_id": self.tenant_a.id, "plan_id": self.plan.id}
        with self.assertRaisesRegex(ValidationError, "URL"):
            Environment.create({**base, "database_name": f"{self.prefix}_u", "url": "ftp:/x"})
        with self.assertRaisesRegex(ValidationError, "Database Name"):
            Environment.create({**base, "database_name": "Bad Name;drop"})
        with self.assertRaisesRegex(ValidationError, "already used"):
            Environment.create({**base, "database_name": self.production.database_name})
        with self.assertRaisesRegex(ValidationError, "Custom Domain"):
            self.env["tenant.branding"].create(
                {"partner_id": self.partner_b.id, "brand_name": "B", "custom_domain": "http://x"}
            )
        with self.assertRaisesRegex(UserError, "production environment"):
            self.tenant_b.action_provision()
        # a partner whose membership is suspended cannot have tenants provisioned
        self.env["partner.membership"].search([("partner_id", "=", self.partner_a.id)]).write(
            {"state": "suspended"}
        )
        with self.assertRaisesRegex(UserError, "no active channel membership"):
            self.tenant_a.with_user(self.manager).action_provision()
        self.assertEqual(self.tenant_a.state, "draft")

    def test_only_managers_operate(self):
        with self.assertRaises(AccessError):
            self.tenant_a.with_user(self.channel_user).action_provision()
        with self.assertRaises(AccessError):
            self.production.with_user(self.channel_user).action_backup()
        self.assertFalse(database_exists(self.production.database_name))
