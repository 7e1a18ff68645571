from lxml import etree

from odoo.tests import tagged

from .common import TenantCase

BUTTON = "//div[@name='button_box']/button[@name='action_gate_open']"


@tagged("post_install", "-at_install")
class TestTenantGateButtons(TenantCase):
    """Tenants and promotions show the gate button and status the mixin injects, as deals,
    projects and memberships do (governance_gates' test_gate_buttons)."""

    def _form_button(self, model):
        views = self.env[model].with_user(self.manager).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        buttons = arch.xpath(BUTTON)
        self.assertEqual(len(buttons), 1, f"{model}: one gate button expected")
        self.assertEqual(buttons[0].xpath(".//field/@name"), ["gate_state"])
        return buttons[0]

    def test_tenant_form_button_opens_its_go_live_gate(self):
        button = self._form_button("tenant.tenant")
        gate = self.env["governance.gate"].search(
            [("res_model", "=", "tenant.tenant"), ("res_id", "=", self.tenant_a.id)]
        )
        self.assertEqual(
            gate.template_id, self.env.ref("white_label_tenant.gate_template_tenant_go_live")
        )
        self.assertEqual(self.tenant_a.gate_state, "open")
        action = getattr(self.tenant_a.with_user(self.manager), button.get("name"))()
        self.assertEqual(action["res_model"], "governance.gate")
        self.assertEqual(action["res_id"], gate.id)
        self.assertEqual(self.env["governance.gate"].search(action["domain"]), gate)

    def test_promotion_form_shows_the_button(self):
        self._form_button("tenant.promotion")

    def test_tenant_and_project_forms_show_their_link(self):
        tenant_arch = self.env["tenant.tenant"].get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="project_id"', tenant_arch["arch"])
        project_arch = self.env["project.project"].get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="action_view_tenants"', project_arch["arch"])
