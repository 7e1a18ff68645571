from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestUninstallCascade(TenantCase):
    """An incident points to its tenant through a cascading key (the demo's tenants go with the
    module's uninstall); a user deleting a tenant that has incidents is refused, they stay."""

    def test_a_tenant_with_incidents_cannot_be_deleted(self):
        incident = self.env["tenant.incident"].create(
            {"tenant_id": self.tenant_a.id, "subject": "Cascade check"}
        )
        with self.assertRaisesRegex(
            UserError, f"{self.tenant_a.name} cannot be deleted: .*Incident"
        ):
            self.tenant_a.unlink()
        self.assertTrue(incident.exists())
        self.assertTrue(self.tenant_a.exists())
