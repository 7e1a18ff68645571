from lxml import etree

from odoo.tests import new_test_user, tagged

from .common import GovernanceCase

BUTTON = "//div[@name='button_box']/button[@name='action_gate_open']"


@tagged("post_install", "-at_install")
class TestGateButtons(GovernanceCase):
    """The mixin puts the gate button, with the gate status, into the form of every gated model:
    deals, implementation projects and partner memberships alike, once, none written by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Stage = cls.env["crm.stage"]
        cls.stage_qualified = Stage.create({"name": "Qualified (buttons)", "sequence": 40})
        cls.stage_proposal = Stage.create({"name": "Proposal (buttons)", "sequence": 50})
        cls.env["governance.gate.template"].create(
            {
                "name": "Proposal review",
                "model_id": cls.env.ref("crm.model_crm_lead").id,
                "stage_res_id": cls.stage_proposal.id,
                "criterion_ids": [(0, 0, {"name": "Scope agreed", "check_type": "checklist"})],
            }
        )

    def _form_button(self, model, user=None):
        """The gate button of ``model``'s default form as ``user`` sees it (None if absent)."""
        env = self.env(user=user) if user else self.env
        views = env[model].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        buttons = arch.xpath(BUTTON)
        self.assertLessEqual(len(buttons), 1, f"{model}: the gate button is shown twice")
        if buttons:
            self.assertEqual(buttons[0].get("type"), "object")
            self.assertEqual(buttons[0].get("invisible"), "not gate_count")
            self.assertEqual(buttons[0].xpath(".//field/@name"), ["gate_state"])
            self.assertIn("gate_count", arch.xpath("//field/@name"))
            self.assertIn("gate_state", views["models"][model]["fields"])
        return buttons[0] if buttons else None

    def _assert_opens_gates(self, record):
        """Clicking the button (the method it names) shows the gates of that record."""
        button = self._form_button(record._name)
        self.assertTrue(button is not None, f"{record._name}: no gate button on the form")
        gates = self.env["governance.gate"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )
        self.assertTrue(gates, f"{record._name}: the test record has no gate")
        action = getattr(record.with_user(self.channel_user), button.get("name"))()
        self.assertEqual(action["res_model"], "governance.gate")
        self.assertEqual(self.env["governance.gate"].search(action["domain"]), gates)
        if len(gates) == 1:
            self.assertEqual(action["res_id"], gates.id)

    def test_deal_form(self):
        lead = self.env["crm.lead"].create(
            {"name": "Buttons deal", "type": "opportunity", "stage_id": self.stage_qualified.id}
        )
        self.assertEqual(lead.gate_state, "open")
        self._assert_opens_gates(lead)

    def test_project_form(self):
        project = self._project(implementation_phase="build")
        self._assert_opens_gates(project)

    def test_membership_form(self):
        partner_type = self.env.ref("partner_scorecard.partner_type_white_label")
        membership = self.env["partner.membership"].create(
            {"partner_id": self.partner_b.id, "partner_type_id": partner_type.id}
        )
        self.assertEqual(membership.gate_state, "open")
        self._assert_opens_gates(membership)

    def test_only_channel_users_see_the_button(self):
        salesman = new_test_user(
            self.env, login="gov_salesman", groups="base.group_user,sales_team.group_sale_salesman"
        )
        self.assertIsNone(self._form_button("crm.lead", user=salesman))
        self.assertIsNotNone(self._form_button("crm.lead", user=self.channel_user))

    def test_written_once_by_the_mixin(self):
        """No view of an adopting model carries its own copy of the button."""
        adopters = [
            name
            for name, model in self.env.items()
            if name != "governance.gate.mixin"
            and isinstance(model, self.registry["governance.gate.mixin"])
            and not model._abstract
        ]
        self.assertTrue({"crm.lead", "project.project", "partner.membership"} <= set(adopters))
        hand_written = self.env["ir.ui.view"].search(
            [("model", "in", adopters), ("arch_db", "ilike", "action_gate_open")]
        )
        self.assertFalse(hand_written.mapped("xml_id"))
