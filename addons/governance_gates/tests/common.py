from odoo.tests import TransactionCase, new_test_user


class GovernanceCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env,
            login="gov_manager",
            groups="base.group_user,partner_scorecard.group_channel_manager,"
            "project.group_project_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.channel_user = new_test_user(
            cls.env,
            login="gov_user",
            groups="base.group_user,partner_scorecard.group_channel_user,project.group_project_user",
        )
        cls.solution_lead = new_test_user(
            cls.env,
            login="gov_lead",
            groups="base.group_user,partner_scorecard.group_channel_user,project.group_project_user",
        )
        cls.partner_a = cls.env["res.partner"].create({"name": "Partner A", "is_company": True})
        cls.partner_b = cls.env["res.partner"].create({"name": "Partner B", "is_company": True})
        contact_a = cls.env["res.partner"].create(
            {"name": "Alice (A)", "parent_id": cls.partner_a.id, "email": "alice@a.example"}
        )
        cls.portal_a = new_test_user(
            cls.env, login="gov_portal_a", groups="base.group_portal", partner_id=contact_a.id
        )
        cls.go_live = cls.env.ref("governance_gates.gate_template_project_go_live")
        # only the channel manager of these tests approves group steps
        cls.manager_group = cls.env.ref("partner_scorecard.group_channel_manager")

    def _project(self, **vals):
        values = {
            "name": "Implementation",
            "channel_partner_id": self.partner_a.id,
            "solution_lead_id": self.solution_lead.id,
            "planned_go_live_date": "2026-12-01",
        }
        values.update(vals)
        return self.env["project.project"].create(values)

    def _gate(self, record, stage):
        return self.env["governance.gate"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("stage_value", "=", stage),
                ("state", "=", "open"),
            ]
        )

    def _line(self, gate, name):
        return gate.line_ids.filtered(lambda line: line.name == name)

    def _tick_all(self, gate, user=None):
        for line in gate.line_ids.filtered(lambda line: line.check_type == "checklist"):
            line.evidence_note = "Signed PDF in the DMS"
            line.with_user(user or self.channel_user).action_tick()

    def _approve_all(self, gate):
        for approval in gate.approval_ids.sorted("sequence"):
            reviewer = approval.reviewer_ids[:1]
            if self.manager in approval.reviewer_ids:
                reviewer = self.manager
            approval.with_user(reviewer).action_approve()
