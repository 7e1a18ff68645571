from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestUninstallCascade(GovernanceCase):
    """A gate points to its template through a cascading key (the template's module may be
    uninstalled); a user deleting a template that has gates is refused, the gates stay."""

    def test_a_gate_template_with_gates_cannot_be_deleted(self):
        project = self._project()
        project.implementation_phase = "build"
        gate = self._gate(project, "live")
        self.assertEqual(gate.template_id, self.go_live)
        with self.assertRaisesRegex(UserError, "cannot be deleted: .*Archive it"):
            self.go_live.unlink()
        self.assertTrue(gate.exists())
        self.assertTrue(self.go_live.exists())
