"""Loaded by test_workflow_guard_mixin only, through odoo-test-helper's FakeModelLoader: a model of
its own that adopts both the workflow guard and the gate mixin, so the engines are tested without
the CRM or projects."""

from odoo import fields, models


class GovernanceTestDocument(models.Model):
    _name = "governance.test.document"
    _inherit = ["channel.workflow.guard", "governance.gate.mixin"]
    _description = "Gated test document"

    _gate_stage_field = "state"
    _gate_guarded_stages = ["approved"]
    _workflow_fields = ("state",)
    _workflow_frozen_fields = ("reference",)
    _workflow_actions = {"state": "Submit"}

    name = fields.Char()
    reference = fields.Char()
    active = fields.Boolean(default=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
    )

    def action_submit(self):
        self._workflow_check_group("partner_scorecard.group_channel_user", "submit a document")
        self.sudo()._workflow_write({"state": "submitted"})
        return True
