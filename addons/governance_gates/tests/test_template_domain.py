from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTemplateDomain(TransactionCase):
    """A template's "Applies When" domain, including while a module update loads data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("governance_gates.gate_template_project_go_live")
        cls.template.complexity_tier = False
        cls.project = cls.env["project.project"].create({"name": "Harbor rollout"})

    def _applies(self):
        return self.project._gate_applicable_templates(self.template.stage_value, self.template)

    def test_the_domain_selects_the_records(self):
        self.template.domain_filter = "[('name', '=', 'Another project')]"
        self.assertFalse(self._applies())
        self.template.domain_filter = "[('name', '=', 'Harbor rollout')]"
        self.assertEqual(self._applies(), self.template)

    def test_a_domain_naming_a_field_not_loaded_yet_is_ignored(self):
        # the registry while an earlier module's data loads during an update (-u): the field a
        # later module adds and names in the domain (white_label_tenant's tenant_ids) is not
        # there yet. The constraint refuses such a domain in the form, hence the SQL.
        self.env.cr.execute(
            "UPDATE governance_gate_template SET domain_filter = %s WHERE id = %s",
            ["[('x_not_loaded_yet_ids', '=', False)]", self.template.id],
        )
        self.template.invalidate_recordset(["domain_filter"])
        self.assertEqual(self._applies(), self.template)
