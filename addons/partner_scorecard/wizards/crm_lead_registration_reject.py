from odoo import fields, models

from ..models.crm_lead_registration import MANAGER_GROUP


class CrmLeadRegistrationReject(models.TransientModel):
    """A Channel Manager rejects deal registrations with a reason the partner reads."""

    _name = "crm.lead.registration.reject"
    _description = "Reject a Deal Registration"

    lead_ids = fields.Many2many("crm.lead", string="Deals", required=True)
    reason = fields.Text(required=True, help="Shown to the partner on the portal and in the mail.")

    def action_apply(self):
        self.ensure_one()
        self.env["crm.lead"]._workflow_check_group(
            MANAGER_GROUP, self.env._("reject a deal registration")
        )
        self.lead_ids._registration_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
