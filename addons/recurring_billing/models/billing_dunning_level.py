from odoo import api, fields, models

CHANNELS = [("email", "Email"), ("letter", "Letter"), ("phone", "Phone call")]


class BillingDunningLevel(models.Model):
    """One step of a dunning policy: reached so many days after the due date."""

    _name = "billing.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, days, id"

    policy_id = fields.Many2one(
        "billing.dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        string="Days Overdue",
        required=True,
        help="Reached this many days after the invoice's due date.",
    )
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="email",
        help="Email: the partner is emailed and the message shows on the invoice in the portal. "
        "Letter / Phone call: an activity is scheduled for the invoice's salesperson, and the "
        "partner still sees the notice on the portal.",
    )
    suspend = fields.Boolean(
        string="Suspend Tenants",
        help="At this level the tenants the invoice bills are suspended through the provisioning "
        "backend (never while a payment is pending or a dispute is open); paying the invoice "
        "in full resumes them.",
    )
    message = fields.Text(
        translate=True,
        help="Said to the partner with the invoice's number, amount due and due date.",
    )

    @api.constrains("days", "suspend", "policy_id")
    def _check_policy_levels(self):
        self.policy_id._check_levels()
