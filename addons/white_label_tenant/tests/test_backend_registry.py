from odoo_test_helper import FakeModelLoader

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBackendRegistry(TransactionCase):
    """Backends are registered per database through the ORM: the Backend selection of a tenant
    offers exactly the backends of the modules this database has installed."""

    def _offered(self):
        selection = self.env["tenant.tenant"].fields_get(["backend"])["backend"]["selection"]
        return [code for code, _label in selection]

    def test_the_selection_follows_the_modules_installed_in_this_database(self):
        self.assertEqual(self._offered(), ["local"])
        tenant = self.env["tenant.tenant"].create(
            {"name": "Registry", "partner_id": self.env.ref("base.main_partner").id}
        )
        self.assertEqual(type(tenant._get_backend()).__name__, "LocalPostgresBackend")

        # a module shipping a backend is loaded into this database's registry
        loader = FakeModelLoader(self.env, self.__module__)
        loader.backup_registry()
        try:
            from .fake_backend import GhostCloudBackend, TenantBackendGhost

            loader.update_registry([TenantBackendGhost])
            self.assertEqual(self._offered(), ["ghost_cloud", "local"])
            tenant.backend = "ghost_cloud"
            self.assertIsInstance(tenant._get_backend(), GhostCloudBackend)
        finally:
            # restore_registry does not set the models up again (Odoo 15+): without this, the
            # registry's field maps keep the fake registry's fields and later tests fail on them
            loader.restore_registry()
            self.registry.setup_models(self.cr)

        # ... and gone again when the database does not have it: nothing process-wide remains
        self.assertEqual(self._offered(), ["local"])
        with self.assertRaisesRegex(UserError, "ghost_cloud"):
            tenant._get_backend()
