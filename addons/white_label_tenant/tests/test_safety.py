from unittest.mock import patch

from psycopg2 import sql

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..backends.base import BackendError
from ..backends.local import LocalPostgresBackend
from .common import LocalDatabaseCase, admin_sql, database_exists


@tagged("post_install", "-at_install")
class TestNothingDestructiveBySurprise(LocalDatabaseCase):
    """The suite drops, overwrites, suspends or copies over only databases it created for that
    very environment; never a foreign one, never the Odoo database itself (real PostgreSQL)."""

    def _foreign_database(self):
        """A database someone else created on the same server, with data that must survive."""
        name = f"{self.prefix}_foreign"
        admin_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        admin_sql(
            "CREATE TABLE precious (v integer); INSERT INTO precious VALUES (42)", dbname=name
        )
        return name

    def _precious(self, name):
        return admin_sql("SELECT v FROM precious", dbname=name)

    def _environment(self, database_name, stage="development"):
        return self.env["tenant.environment"].create(
            {
                "tenant_id": self.tenant_a.id,
                "stage": stage,
                "database_name": database_name,
                "template_database": self.template,
                "plan_id": self.plan.id,
            }
        )

    def test_foreign_database_is_not_provisioned_backed_up_nor_dropped(self):
        foreign = self._foreign_database()
        environment = self._environment(foreign).with_user(self.manager)
        environment.action_provision()
        self.assertEqual(environment.state, "error")
        self.assertIn("already exists", environment.error_message)
        self.assertIn("Choose another Database Name", environment.error_message)
        self.assertFalse(environment.database_created_at)

        environment.action_decommission()
        self.assertEqual(environment.state, "error", "decommissioning is refused")
        self.assertIn("not created by the suite", environment.error_message)
        self.assertFalse(environment.backup_ids, "no final backup: it would copy foreign data")
        self.assertTrue(database_exists(foreign))
        self.assertEqual(self._precious(foreign), [(42,)])

        # nor through the backend directly: every destructive operation refuses it
        backend = self.tenant_a._get_backend()
        self.assertFalse(backend.created_by_suite(environment))
        for operation in ("decommission", "suspend", "backup", "resume"):
            with self.assertRaisesRegex(BackendError, "not created by the suite"):
                getattr(backend, operation)(environment)
        self.assertEqual(self._precious(foreign), [(42,)])
        allow = admin_sql("SELECT datallowconn FROM pg_database WHERE datname = %s", (foreign,))
        self.assertEqual(allow, [(True,)])

        # once pointed at a name of its own, it provisions and is the suite's
        environment.database_name = f"{self.prefix}_dev"
        environment.action_provision()
        self.assertEqual(environment.state, "active")
        self.assertEqual(environment.database_created_by_id, self.manager)
        self.assertTrue(environment.database_created_at)
        self.assertTrue(backend.created_by_suite(environment))
        # the mark is in the database itself (its comment), naming this Odoo database's uuid
        uuid = self.env["ir.config_parameter"].get_param("database.uuid")
        comment = admin_sql(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (environment.database_name,),
        )
        self.assertEqual(comment, [(f"white_label_tenant:{uuid}:environment:{environment.id}",)])

    def test_suspending_an_environment_without_a_database_changes_only_its_state(self):
        """A running environment whose database the suite never created and that does not
        exist (a demo or imported record) is suspended and resumed as a state only, and says
        so; one whose name is taken by a foreign database still goes to the backend, which
        refuses it and leaves the database serving."""
        ghost = self._environment(f"{self.prefix}_ghost")
        foreign = self._environment(self._foreign_database(), stage="staging")
        # a live tenant (its go-live gate is tested elsewhere)
        self.env.ref("white_label_tenant.gate_template_tenant_go_live").active = False
        self.tenant_a._workflow_write({"state": "active"})
        (ghost | foreign)._workflow_write({"state": "active"})

        self.tenant_a.with_user(self.manager).action_suspend()
        self.assertEqual(self.tenant_a.state, "suspended")
        self.assertEqual(ghost.state, "suspended")
        self.assertIn("nothing was stopped", str(ghost.message_ids.mapped("body")))
        self.assertFalse(database_exists(ghost.database_name), "nothing was created either")
        self.assertEqual(foreign.state, "error", "a foreign database is never suspended")
        self.assertIn("not created by the suite", foreign.error_message)
        allow = admin_sql(
            "SELECT datallowconn FROM pg_database WHERE datname = %s", (foreign.database_name,)
        )
        self.assertEqual(allow, [(True,)])

        self.tenant_a.with_user(self.manager).action_resume()
        self.assertEqual(ghost.state, "active")
        self.assertIn("nothing was started again", str(ghost.message_ids.mapped("body")))
        self.assertEqual(foreign.state, "error", "left for a person to look at")

    def test_promotion_never_swaps_in_over_a_foreign_database(self):
        foreign = self._foreign_database()
        staging = self._environment(f"{self.prefix}_stg", stage="staging")
        staging.with_user(self.manager).action_provision()
        self.assertEqual(staging.state, "active")
        # a production environment whose name was pointed at the foreign database
        target = self._environment(foreign, stage="production")
        backend = self.tenant_a._get_backend()
        with self.assertRaisesRegex(BackendError, "not created by the suite"):
            backend.promote(staging, target)
        self.assertEqual(self._precious(foreign), [(42,)])
        # and a foreign staging is never copied (its sessions cut) into the suite's production
        self.tenant_a.with_user(self.manager).action_provision()
        with self.assertRaisesRegex(BackendError, "not created by the suite"):
            backend.promote(target, self.production)
        self.assertEqual(self._precious(foreign), [(42,)])

    def test_another_environments_database_is_not_its_own(self):
        self.tenant_a.with_user(self.manager).action_provision()
        other = self._environment(f"{self.prefix}_other")
        backend = self.tenant_a._get_backend()
        self.assertTrue(backend.created_by_suite(self.production))
        self.assertFalse(backend.created_by_suite(other, self.production.database_name))
        with self.assertRaisesRegex(BackendError, "not created by the suite"):
            backend._check_owned(other, self.production.database_name)
        # nor can a tenant's database serve as another one's template (its data would be copied)
        with self.assertRaisesRegex(ValidationError, "Template Database"):
            other.template_database = self.production.database_name
        self.assertTrue(database_exists(self.production.database_name))

    def test_a_taken_transient_name_is_never_dropped(self):
        """Promotion copies and restore-test scratch databases are dropped only when this very
        call created them: a name someone else took meanwhile is left alone."""
        foreign = self._foreign_database()
        staging = self._environment(f"{self.prefix}_stg", stage="staging")
        self.tenant_a.with_user(self.manager).action_provision()
        backup = self.production._backup()
        backend = self.tenant_a._get_backend()
        # the transient names collide with the foreign database (our own naming, not Odoo's)
        with (
            patch.object(
                LocalPostgresBackend, "_work_name", staticmethod(lambda name, kind: foreign)
            ),
            mute_logger("odoo.sql_db"),
        ):
            test = backup._restore_test()
            with self.assertRaisesRegex(BackendError, "Copying"):
                backend.promote(staging, self.production)
        self.assertEqual(test.state, "failed")
        self.assertIn("scratch database", test.details)
        self.assertEqual(self._precious(foreign), [(42,)])
        self.assertEqual(
            admin_sql("SELECT count(*) FROM sale_order", dbname=staging.database_name), [(500,)]
        )

    def test_a_template_parameter_naming_an_environment_database_is_refused(self):
        self.tenant_a.with_user(self.manager).action_provision()
        self.env["ir.config_parameter"].set_param(
            "white_label_tenant.template_database", self.production.database_name
        )
        other = self.env["tenant.environment"].create(
            {
                "tenant_id": self.tenant_a.id,
                "stage": "development",
                "database_name": f"{self.prefix}_copy",
                "plan_id": self.plan.id,
            }
        )
        with self.assertRaisesRegex(UserError, "environment's own database"):
            other.with_user(self.manager).action_provision()
        self.assertFalse(database_exists(other.database_name))

    def test_the_odoo_database_itself_is_refused(self):
        odoo_db = self.env.cr.dbname
        with self.assertRaisesRegex(ValidationError, "Odoo database itself"):
            self._environment(odoo_db)
        with self.assertRaisesRegex(ValidationError, "Template Database"):
            self.production.template_database = odoo_db
        for reserved in ("postgres", "template1"):
            with self.assertRaisesRegex(ValidationError, "Database Name"):
                self._environment(reserved)
        with self.assertRaisesRegex(BackendError, "Odoo database itself"):
            self.tenant_a._get_backend()._check_owned(self.production, odoo_db)
        self.assertTrue(database_exists(odoo_db))

    def test_names_and_domains_match_whole_values(self):
        with self.assertRaisesRegex(ValidationError, "Database Name"):
            self._environment(f"{self.prefix}_nl\n")
        with self.assertRaisesRegex(ValidationError, "Database Name"):
            self._environment(f" {self.prefix}_sp")
        draft = self._environment(f"{self.prefix}_ok")
        with self.assertRaisesRegex(ValidationError, "Database Name"):
            draft.database_name = f"{self.prefix}_ok\n"
        with self.assertRaisesRegex(ValidationError, "Template Database"):
            draft.template_database = f"{self.template}\n"
        branding = self.tenant_a.effective_branding_id
        for field, value in (
            ("Custom Domain", "erp.alpha.example.com\n"),
            ("Primary Color", "#123456\n"),
        ):
            with self.assertRaisesRegex(ValidationError, field), self.env.cr.savepoint():
                branding[field.lower().replace(" ", "_")] = value
            self.env.invalidate_all()
        self.assertEqual(branding.custom_domain, "erp.alpha.example.com")

    def test_template_database_is_for_managers_only_and_tracked(self):
        as_user = self.production.with_user(self.channel_user)
        with self.assertRaises(AccessError):
            as_user.write({"template_database": f"{self.prefix}_tpl2"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["tenant.environment"].with_user(self.channel_user).create(
                {
                    "tenant_id": self.tenant_a.id,
                    "database_name": f"{self.prefix}_byuser",
                    "template_database": self.template,
                    "plan_id": self.plan.id,
                }
            )
        # the server-side check holds even when the field's groups are widened
        with self.assertRaisesRegex(AccessError, "Template Database"):
            self.production.with_user(self.channel_user)._check_template_database_access(
                {"template_database": "x"}
            )
        as_manager = self.production.with_user(self.manager)
        as_manager.template_database = f"{self.prefix}_tpl2"
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        tracked = self.production.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "template_database"
        )
        self.assertEqual(tracked.new_value_char, f"{self.prefix}_tpl2")
        self.assertEqual(tracked.old_value_char, self.template)
