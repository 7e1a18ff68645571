import base64
import io

from PIL import Image

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import (
    LocalDatabaseCase,
    admin_sql,
    database_deployment,
    database_exists,
    dedicated_owner,
)


def png(color, size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestPromotion(LocalDatabaseCase):
    """Staging -> production through the governance gate, on real databases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staging = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "stage": "staging",
                "database_name": f"{cls.prefix}_stg",
                "template_database": cls.template,
                "url": "https://staging.alpha.example.com",
                "plan_id": cls.plan.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.tenant_a.with_user(self.manager).action_provision()
        self.assertEqual((self.production | self.staging).mapped("state"), ["active", "active"])
        # the release: a change made on staging only
        admin_sql(
            "INSERT INTO sale_order (amount) VALUES (4242)", dbname=self.staging.database_name
        )

    def _orders(self, dbname):
        return admin_sql("SELECT count(*), max(amount) FROM sale_order", dbname=dbname)[0]

    def _request(self):
        action = self.staging.with_user(self.manager).action_promote()
        return self.env["tenant.promotion"].with_user(self.manager).browse(action["res_id"])

    def test_promotion_blocked_without_verified_restore_or_sla(self):
        promotion = self._request()
        self.assertEqual(promotion.target_environment_id, self.production)
        self.assertEqual(promotion.gate_state, "open", "the gate opens with the request")
        with self.assertRaisesRegex(UserError, "restored successfully"):
            promotion.action_promote()
        self.assertEqual(promotion.state, "draft")
        self.assertEqual(self._orders(self.production.database_name), (500, 500))

        # a verified restore alone is not enough when the tenant has no SLA policy
        self.staging._backup()
        self.staging.with_user(self.manager).action_restore_test()
        self.tenant_a.sla_policy_id = False
        with self.assertRaisesRegex(UserError, "SLA policy") as caught:
            promotion.action_promote()
        self.assertNotIn("restored successfully", str(caught.exception))
        self.assertEqual(self._orders(self.production.database_name), (500, 500))
        # asking again reuses the open request
        self.assertEqual(self._request(), promotion)

    def test_an_old_restore_test_no_longer_verifies(self):
        """A restore test proves the backups restore at the time it ran: past the SLA policy's
        validity it no longer counts, for a promotion as for a first go-live."""
        self.staging._backup()
        self.staging.with_user(self.manager).action_restore_test()
        restore_test = self.staging.restore_test_ids
        self.assertEqual(restore_test.state, "passed")
        self.assertEqual(self.policy.current_version_id.restore_test_validity_days, 30)
        restore_test.started_at = fields.Datetime.subtract(fields.Datetime.now(), days=31)
        promotion = self._request()
        with self.assertRaisesRegex(UserError, "restored successfully"):
            promotion.action_promote()
        self.assertEqual(promotion.state, "draft")
        # the same test is recent enough under terms that accept 45 days (an active version is
        # immutable through the ORM: its terms are set here as a new version would carry them)
        self.env.cr.execute(
            "UPDATE tenant_sla_policy_version SET restore_test_validity_days = 45 WHERE id = %s",
            [self.policy.current_version_id.id],
        )
        self.env.invalidate_all()
        promotion.action_promote()
        self.assertEqual(promotion.state, "promoted", promotion.details)

    def test_promotion_copies_staging_into_production(self):
        self.staging._backup()
        self.staging.with_user(self.manager).action_restore_test()
        self.assertEqual(self.staging.restore_test_ids.state, "passed")
        promotion = self._request()
        promotion.action_promote()

        self.assertEqual(promotion.state, "promoted", promotion.details)
        self.assertEqual(promotion.gate_state, "passed")
        self.assertEqual(promotion.promoted_by_id, self.manager)
        # production holds the staging data, staging is untouched, no scratch copy is left
        self.assertEqual(self._orders(self.production.database_name), (501, 4242))
        self.assertEqual(self._orders(self.staging.database_name), (501, 4242))
        leftovers = admin_sql(
            "SELECT datname FROM pg_database WHERE datname LIKE %s OR datname LIKE %s",
            (f"{self.prefix}%_in_%", f"{self.prefix}%_out_%"),
        )
        self.assertEqual(leftovers, [])
        # the copy swapped in is marked as production's database, not staging's: the suite may
        # back it up, promote over it and decommission it again, and still staging
        backend = self.tenant_a._get_backend()
        self.assertTrue(backend.created_by_suite(self.production))
        self.assertTrue(backend.created_by_suite(self.staging))
        # and it runs with production's dedicated deployment (none of it is copied)
        owner, limit, parameters = database_deployment(self.production.database_name)
        self.assertEqual(limit, self.plan.db_connection_limit)
        self.assertEqual(parameters, ["statement_timeout=300s", "work_mem=16MB"])
        self.assertEqual(owner, dedicated_owner(self.production.database_name))
        # production was backed up before being overwritten, and answers on its own domain again
        self.assertEqual(promotion.backup_id.kind, "promotion")
        self.assertEqual(promotion.backup_id.state, "done")
        self.assertEqual(
            self._param(self.production.database_name, "web.base.url"),
            "https://erp.alpha.example.com",
        )
        with self.assertRaisesRegex(UserError, "request a new promotion"):
            promotion.action_promote()

    def test_only_staging_is_promoted(self):
        with self.assertRaisesRegex(UserError, "not a staging environment"):
            self.production.with_user(self.manager).action_promote()

    def test_failed_copy_is_recorded_and_production_kept(self):
        self.staging._backup()
        self.staging.with_user(self.manager).action_restore_test()
        promotion = self._request()
        # staging disappears between the check and the copy
        admin_sql(f'DROP DATABASE "{self.staging.database_name}" WITH (FORCE)')
        promotion.action_promote()
        self.assertEqual(promotion.state, "failed")
        self.assertIn("does not exist", promotion.details)
        self.assertTrue(database_exists(self.production.database_name))
        self.assertEqual(self._orders(self.production.database_name), (500, 500))


@tagged("post_install", "-at_install")
class TestBranding(LocalDatabaseCase):
    """Apply branding pushes name, colours, contact, logo and domain into the tenant database."""

    def _logo_rows(self, dbname):
        return admin_sql(
            "SELECT a.res_field, a.db_datas, a.store_fname, a.mimetype FROM ir_attachment a "
            "JOIN res_company c ON c.partner_id = a.res_id AND a.res_model = 'res.partner' "
            "WHERE c.id = (SELECT min(id) FROM res_company) ORDER BY a.res_field",
            dbname=dbname,
        )

    def test_provisioning_and_apply_branding_push_logo_and_domain(self):
        branding = self.tenant_a.effective_branding_id
        branding.logo = base64.b64encode(png("red"))
        self.tenant_a.with_user(self.manager).action_provision()
        name = self.production.database_name

        rows = {
            field: (bytes(data), fname, mime) for field, data, fname, mime in self._logo_rows(name)
        }
        self.assertEqual(
            sorted(rows), ["image_1024", "image_128", "image_1920", "image_256", "image_512"]
        )
        data, store_fname, mimetype = rows["image_1920"]
        self.assertIsNone(store_fname, "the old file-stored logo is replaced")
        self.assertEqual(mimetype, "image/png")
        self.assertEqual(Image.open(io.BytesIO(data)).getpixel((0, 0)), (255, 0, 0))
        self.assertEqual(Image.open(io.BytesIO(rows["image_128"][0])).size, (128, 85))
        logo_web, default = admin_sql(
            "SELECT logo_web, uses_default_logo FROM res_company ORDER BY id LIMIT 1", dbname=name
        )[0]
        self.assertEqual(Image.open(io.BytesIO(base64.b64decode(bytes(logo_web)))).size[0], 180)
        self.assertFalse(default)
        self.assertEqual(self._param(name, "web.base.url"), "https://erp.alpha.example.com")
        self.assertEqual(self._param(name, "web.base.url.freeze"), "True")

        # the partner rebrands: the running environment follows on Apply Branding
        branding.write(
            {
                "brand_name": "Alpha Next",
                "logo": base64.b64encode(png("blue")),
                "custom_domain": "erp.alpha-next.example.com",
            }
        )
        self.production.with_user(self.manager).action_apply_branding()
        self.assertEqual(self._company(name)[0][0], "Alpha Next")
        data = bytes({r[0]: r[1] for r in self._logo_rows(name)}["image_1920"])
        self.assertEqual(Image.open(io.BytesIO(data)).getpixel((0, 0)), (0, 0, 255))
        self.assertEqual(len(self._logo_rows(name)), 5)
        self.assertEqual(self._param(name, "web.base.url"), "https://erp.alpha-next.example.com")
        # the template is never touched
        self.assertEqual(self._company(self.template)[0][0], "Template Co")
        self.assertEqual(self._param(self.template, "web.base.url"), "http://localhost:8069")

    def test_non_production_keeps_its_own_url(self):
        self.tenant_a.with_user(self.manager).action_provision()
        development = self.env["tenant.environment"].create(
            {
                "tenant_id": self.tenant_a.id,
                "stage": "development",
                "database_name": f"{self.prefix}_dev",
                "template_database": self.template,
                "url": "https://dev.alpha.example.com",
                "plan_id": self.plan.id,
            }
        )
        development.with_user(self.manager).action_provision()
        self.assertEqual(
            self._param(development.database_name, "web.base.url"), "https://dev.alpha.example.com"
        )

    def test_apply_branding_needs_a_running_environment(self):
        with self.assertRaisesRegex(UserError, "not running"):
            self.production.with_user(self.manager).action_apply_branding()
