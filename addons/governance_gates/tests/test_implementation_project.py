from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestImplementationProject(GovernanceCase):
    """A qualified deal -> its implementation project: the deal's complexity tier and the gates
    that tier requires carry over, through the deal's Create Implementation Project button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["governance.complexity.rule"]
        Rule.search([]).active = False  # the tests own their rules
        Rule.create(
            [
                {
                    "name": "multi-warehouse",
                    "tier": "2",
                    "domain": "[('qual_warehouse_count', '>=', 2)]",
                },
                {"name": "EDI", "tier": "3", "domain": "[('qual_edi', '=', True)]"},
            ]
        )
        cls.architecture = cls.env.ref("governance_gates.gate_template_project_architecture")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Northwind Supply", "is_company": True}
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Nora Buyer", "parent_id": cls.customer.id}
        )
        cls.salesman = new_test_user(
            cls.env, login="gov_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )

    def _deal(self, **vals):
        values = {
            "name": "Northwind ERP rollout",
            "type": "opportunity",
            "partner_id": self.buyer.id,
            "channel_partner_id": self.partner_a.id,
            "qual_sku_count": 45000,
            "qual_warehouse_count": 1,
        }
        values.update(vals)
        return self.env["crm.lead"].create(values)

    def _create_project(self, deal, user=None):
        action = deal.with_user(user or self.manager).action_create_implementation_project()
        self.assertEqual(action["res_model"], "project.project")
        return self.env["project.project"].browse(action["res_id"])

    def _build_gate_templates(self, project):
        return self._gate(project, "build").template_id

    def test_tier_3_deal_gets_the_architecture_gate(self):
        deal = self._deal(qual_edi=True, qual_warehouse_count=3)
        self.assertEqual(deal.complexity_tier, "3")
        project = self._create_project(deal)
        self.assertEqual(project.lead_id, deal)
        self.assertEqual(project.complexity_tier, "3")
        self.assertEqual(project.partner_id, self.customer, "the customer's company, not Nora")
        self.assertEqual(project.channel_partner_id, self.partner_a)
        self.assertEqual(project.implementation_phase, "discovery")
        # the architecture review of a tier 2+ project is open before the move to build
        self.assertEqual(self._build_gate_templates(project), self.architecture)
        self.assertEqual(deal.implementation_project_count, 1)
        # asked again, the button opens the same project
        self.assertEqual(self._create_project(deal), project)
        self.assertEqual(self.env["project.project"].search_count([("lead_id", "=", deal.id)]), 1)

    def test_tier_1_deal_has_the_light_gates(self):
        deal = self._deal()
        self.assertEqual(deal.complexity_tier, "1")
        project = self._create_project(deal)
        self.assertEqual(project.complexity_tier, "1")
        self.assertFalse(self._build_gate_templates(project), "no architecture review at tier 1")
        # build needs no gate: the project moves on, and its go-live gate opens
        project.with_user(self.manager).implementation_phase = "build"
        self.assertEqual(project.implementation_phase, "build")
        self.assertIn(self.go_live, self._gate(project, "live").template_id)

    def test_requalifying_the_deal_leaves_the_project(self):
        deal = self._deal(qual_edi=True)
        project = self._create_project(deal)
        deal.write({"qual_edi": False})
        self.assertEqual(deal.complexity_tier, "1")
        self.env.flush_all()
        project.invalidate_recordset()
        self.assertEqual(project.complexity_tier, "3", "a running project keeps its tier")
        self.assertEqual(project.lead_complexity_tier, "1", "the form shows the difference")
        self.assertEqual(self._build_gate_templates(project), self.architecture)

    def test_raising_the_project_tier_opens_the_gates_it_requires(self):
        project = self._create_project(self._deal())
        self.assertFalse(self._build_gate_templates(project))
        project.with_user(self.manager).complexity_tier = "3"
        self.assertEqual(self._build_gate_templates(project), self.architecture)

    def test_refusals(self):
        unqualified = self._deal(qual_sku_count=0, qual_warehouse_count=0)
        self.assertFalse(unqualified.complexity_tier)
        with self.assertRaisesRegex(UserError, "Qualification"):
            unqualified.with_user(self.manager).action_create_implementation_project()
        no_customer = self._deal(partner_id=False)
        with self.assertRaisesRegex(UserError, "Customer"):
            no_customer.with_user(self.manager).action_create_implementation_project()
        lead = self._deal(type="lead")
        with self.assertRaisesRegex(UserError, "convert it to an opportunity"):
            lead.with_user(self.manager).action_create_implementation_project()
        # a salesman without channel rights does not open implementations
        deal = self._deal()
        with self.assertRaises(AccessError):
            deal.with_user(self.salesman).action_create_implementation_project()
        self.assertFalse(
            self.env["project.project"].search_count(
                [("lead_id", "in", (unqualified | no_customer | lead | deal).ids)]
            )
        )
