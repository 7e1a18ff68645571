from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestCrmQualification(GovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["governance.complexity.rule"]
        # the tests own their rules: demo rules are archived
        Rule.search([]).active = False
        Rule.create(
            [
                {
                    "name": "multi-warehouse",
                    "tier": "2",
                    "domain": "[('qual_warehouse_count', '>=', 2)]",
                },
                {
                    "name": "big catalogue",
                    "tier": "3",
                    "domain": "[('qual_sku_count', '>=', 20000), "
                    "('qual_warehouse_count', '>=', 3)]",
                },
                {"name": "EDI", "tier": "3", "domain": "[('qual_edi', '=', True)]"},
            ]
        )
        cls.stage_proposal = cls.env["crm.stage"].create(
            {"name": "Proposal (test)", "sequence": 50}
        )
        cls.stage_qualified = cls.env["crm.stage"].create(
            {"name": "Qualified (test)", "sequence": 40}
        )
        cls.template = cls.env["governance.gate.template"].create(
            {
                "name": "Architecture review before the proposal",
                "model_id": cls.env.ref("crm.model_crm_lead").id,
                "stage_res_id": cls.stage_proposal.id,
                "complexity_tier": "3",
                "criterion_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Qualification complete",
                            "check_type": "python",
                            "python_check": "qualification_complete",
                        },
                    ),
                    (0, 0, {"name": "Architecture template applied", "check_type": "checklist"}),
                ],
                "approval_rule_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Architecture board",
                            "approver_type": "user",
                            "user_id": cls.manager.id,
                        },
                    ),
                ],
            }
        )

    def _lead(self, **vals):
        values = {"name": "Deal", "type": "opportunity", "stage_id": self.stage_qualified.id}
        values.update(vals)
        return self.env["crm.lead"].create(values)

    def test_tiers_from_rules(self):
        self.assertFalse(self._lead().complexity_tier)
        single = self._lead(qual_sku_count=800, qual_warehouse_count=1)
        self.assertEqual(single.complexity_tier, "1")
        self.assertEqual(single.hosting_recommendation, "multi_tenant")
        two = self._lead(qual_sku_count=5000, qual_warehouse_count=2)
        self.assertEqual(two.complexity_tier, "2")
        self.assertEqual(two.staffing_recommendation, "solution_lead")
        distributor = self._lead(qual_sku_count=45000, qual_warehouse_count=3)
        self.assertEqual(distributor.complexity_tier, "3")
        self.assertEqual(distributor.staffing_recommendation, "senior_solution_lead")
        self.assertEqual(distributor.hosting_recommendation, "dedicated")
        two.qual_edi = True
        self.assertEqual(two.complexity_tier, "3")
        won = self._lead(qual_sku_count=100, qual_edi=True)
        won.stage_id = self.env["crm.stage"].create({"name": "Won (test)", "is_won": True})
        lost = self._lead(qual_sku_count=100, qual_edi=True)
        lost.action_set_lost()
        self.assertEqual((won | lost).mapped("complexity_tier"), ["3", "3"])
        # editing the rules re-tiers the open deals; a won deal keeps the tier it was won
        # with (its project took it), a lost one stays as it was lost
        self.env["governance.complexity.rule"].search([("name", "=", "EDI")]).tier = "2"
        self.assertEqual(two.complexity_tier, "2")
        self.assertEqual(won.complexity_tier, "3")
        self.assertEqual(lost.with_context(active_test=False).complexity_tier, "3")

    def test_tier_3_needs_architecture_review_before_proposal(self):
        tier1 = self._lead(qual_sku_count=800, qual_warehouse_count=1)
        tier1.stage_id = self.stage_proposal  # no gate applies to tier 1
        self.assertEqual(tier1.gate_state, "none")

        distributor = self._lead(
            qual_sku_count=45000,
            qual_warehouse_count=3,
            qual_valuation_method="fifo",
            qual_procurement_model="mixed",
        )
        gate = self._gate(distributor, str(self.stage_proposal.id))
        self.assertEqual(gate.template_id, self.template)
        self.assertEqual(distributor.gate_state, "open")
        with self.assertRaises(UserError) as error:
            distributor.stage_id = self.stage_proposal
        self.assertIn("Architecture template applied", str(error.exception))
        self.assertIn("Architecture board", str(error.exception))
        self._tick_all(gate)
        gate.approval_ids.with_user(self.manager).action_approve()
        distributor.stage_id = self.stage_proposal
        self.assertEqual(gate.state, "passed")
        self.assertEqual(distributor.gate_state, "passed")

    def test_kill_marks_the_deal_lost(self):
        distributor = self._lead(qual_sku_count=45000, qual_warehouse_count=3)
        gate = self._gate(distributor, str(self.stage_proposal.id))
        gate.with_user(self.manager).action_kill()
        self.assertFalse(distributor.active)
        self.assertEqual(distributor.probability, 0)
