from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_lead_registration import LIVE_STATES, MANAGER_GROUP


class CrmLeadRegistrationConflict(models.TransientModel):
    """A Channel Manager decides which of conflicting registrations wins: the others are
    rejected with the reason "Conflict lost to <deal>", the winner may then be approved."""

    _name = "crm.lead.registration.conflict"
    _description = "Resolve a Deal Registration Conflict"

    lead_ids = fields.Many2many("crm.lead", string="Conflicting Registrations", required=True)
    winner_id = fields.Many2one(
        "crm.lead",
        string="Winning Registration",
        required=True,
        domain="[('id', 'in', lead_ids)]",
    )
    approve_winner = fields.Boolean(
        string="Approve the Winner", default=True, help="Approve the winning registration now."
    )

    @api.constrains("winner_id", "lead_ids")
    def _check_winner(self):
        for wizard in self:
            if wizard.winner_id not in wizard.lead_ids:
                raise UserError(
                    self.env._("The Winning Registration must be one of the conflicting ones.")
                )

    def action_apply(self):
        self.ensure_one()
        self.env["crm.lead"]._workflow_check_group(
            MANAGER_GROUP, self.env._("resolve a registration conflict")
        )
        winner = self.winner_id
        winner._check_registration_state(LIVE_STATES, self.env._("Resolve Conflict"))
        losers = (self.lead_ids | winner._registration_rivals()) - winner
        losers = losers.filtered(lambda lead: lead.registration_state in LIVE_STATES)
        losers._registration_reject(
            self.env._("Conflict lost to %(deal)s", deal=winner.display_name)
        )
        winner._update_registration_conflicts()
        if self.approve_winner and winner.registration_state == "registered":
            winner.action_registration_approve()
        return {"type": "ir.actions.act_window_close"}
