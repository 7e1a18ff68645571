from odoo import fields, models


class BillingMdfClaimReject(models.TransientModel):
    """Why MDF claims are rejected: the reason is kept on the claims and sent to the partner."""

    _name = "billing.mdf.claim.reject"
    _description = "Reject MDF Claims"

    claim_ids = fields.Many2many("billing.mdf.claim", string="Claims", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.claim_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
