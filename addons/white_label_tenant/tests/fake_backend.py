"""Loaded by test_backend_registry only, through odoo-test-helper's FakeModelLoader: a module
that ships a backend, as seen by a database that installs it."""

from odoo import api, models

from ..backends.base import ProvisioningBackend


class GhostCloudBackend(ProvisioningBackend):
    code = "ghost_cloud"
    label = "Ghost Cloud"


class TenantBackendGhost(models.AbstractModel):
    _inherit = "tenant.backend"

    @api.model
    def _backend_classes(self):
        return {**super()._backend_classes(), GhostCloudBackend.code: GhostCloudBackend}
