from odoo import fields, models


class GovernanceGateWaiverWizard(models.TransientModel):
    _name = "governance.gate.waiver.wizard"
    _description = "Waive a Gate Criterion"

    line_id = fields.Many2one("governance.gate.line", required=True, ondelete="cascade")
    reason = fields.Text(required=True)
    expiry = fields.Date(help="The waiver stops counting after this day. Empty: no expiry.")

    def action_confirm(self):
        self.ensure_one()
        self.line_id._waive(self.reason, self.expiry)
        return {"type": "ir.actions.act_window_close"}
