from odoo import api, models


class CrmLeadRegistrationDemo(models.Model):
    """Plays the demo's deal registrations through the workflow's own actions, on the install
    day, as the Channel Manager: what the demo shows is what a manager would have left."""

    _inherit = "crm.lead"

    @api.model
    def _demo_registration_workflow(self, manager_ref, approved_refs, rejected_reasons):
        """Approve ``approved_refs`` (the protection window starts on the install day) and reject
        each ``{xmlid: reason}`` of ``rejected_reasons`` through the reject wizard."""
        manager = self.env.ref(manager_ref)
        as_manager = self.with_user(manager)
        leads = as_manager.browse([self.env.ref(xmlid).id for xmlid in approved_refs])
        leads.action_registration_approve()
        for xmlid, reason in rejected_reasons.items():
            lead = as_manager.browse(self.env.ref(xmlid).id)
            action = lead.action_registration_reject()
            wizard = (
                self.env[action["res_model"]]
                .with_user(manager)
                .with_context(**action["context"])
                .create({"reason": reason})
            )
            wizard.action_apply()
