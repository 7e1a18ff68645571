from odoo import api, fields, models

from .tenant_incident_status_page import check_no_customer_names

UPDATE_STATUSES = [
    ("investigating", "Investigating"),
    ("identified", "Identified"),
    ("monitoring", "Monitoring"),
    ("resolved", "Resolved"),
]


class TenantIncidentUpdate(models.Model):
    """A message about an incident for the partner's public status page.

    Only updates marked Public are shown there, and only on incidents that have a Status Page
    Title; the incident's chatter (notes, customer messages) never is.
    """

    _name = "tenant.incident.update"
    _description = "Incident Status Update"
    _inherit = ["channel.workflow.guard"]
    _order = "posted_at desc, id desc"
    _rec_name = "status"
    # who posted it: set on creation (the user), never typed or changed afterwards
    _workflow_fields = ("author_id",)
    # an update is about one incident: moving it would publish its text on another one
    _workflow_frozen_fields = ("incident_id",)
    _workflow_actions = {"incident_id": "New Status Update (on the other incident)"}

    incident_id = fields.Many2one("tenant.incident", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="incident_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
    posted_at = fields.Datetime(string="Posted On", required=True, default=fields.Datetime.now)
    status = fields.Selection(UPDATE_STATUSES, required=True, default="investigating")
    body = fields.Text(
        string="Public Message",
        required=True,
        help="What the partner's customers read on the status page: no customer names.",
    )
    is_public = fields.Boolean(
        string="Public",
        default=True,
        help="Shown on the partner's status page (when the incident has a Status Page Title).",
    )
    author_id = fields.Many2one(
        "res.users", string="Author", readonly=True, default=lambda self: self.env.user
    )

    @api.constrains("body", "incident_id")
    def _check_no_customer_names(self):
        for update in self:
            check_no_customer_names(update.incident_id, update.body, self.env._("Public Message"))
