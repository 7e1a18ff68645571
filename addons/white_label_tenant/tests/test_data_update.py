from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file


@tagged("post_install", "-at_install")
class TestDataUpdate(TransactionCase):
    """Updating the module (``-u white_label_tenant``) loads its data files again: the shipped
    gate templates keep their criteria and approval rules once, and what the channel team
    edited on them stays."""

    def _reload(self, filename):
        convert_file(self.env, "white_label_tenant", filename, {}, mode="update", kind="data")

    def _shape(self, template):
        return (
            sorted(template.criterion_ids.mapped("name")),
            sorted(template.approval_rule_ids.mapped("name")),
        )

    def test_update_neither_duplicates_nor_overwrites_gate_templates(self):
        xmlids = (
            "white_label_tenant.gate_template_tenant_go_live",
            "white_label_tenant.gate_template_tenant_promotion",
            "white_label_tenant.gate_template_project_go_live_hosted",
        )
        templates = [self.env.ref(xmlid) for xmlid in xmlids]
        before = [self._shape(template) for template in templates]
        self.assertTrue(all(criteria for criteria, _rules in before))
        templates[0].name = "First go-live of a tenant"  # an edit of the channel team

        self._reload("data/governance_gate_data.xml")
        self._reload("data/governance_gate_data.xml")

        self.assertEqual([self._shape(template) for template in templates], before)
        self.assertEqual(templates[0].name, "First go-live of a tenant")
