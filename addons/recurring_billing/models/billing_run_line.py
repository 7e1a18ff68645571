from odoo import api, fields, models


class BillingRunLine(models.Model):
    """One subscription's outcome in a billing run."""

    _name = "billing.run.line"
    _description = "Billing Run Line"
    _inherit = ["channel.workflow.guard"]
    _order = "run_id desc, result, id"
    _rec_name = "subscription_id"
    # one subscription's result in a run, written by the run only (channel.workflow.guard)
    _workflow_fields = ("run_id", "subscription_id", "result", "message", "move_ids")
    _workflow_actions = dict.fromkeys(_workflow_fields, "Invoice Now")

    run_id = fields.Many2one("billing.run", required=True, ondelete="cascade", index=True)
    subscription_id = fields.Many2one(
        "billing.subscription", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="subscription_id.partner_id")
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    result = fields.Selection(
        [("billed", "Billed"), ("skipped", "Skipped"), ("failed", "Failed")],
        required=True,
        index=True,
    )
    message = fields.Text()
    move_ids = fields.Many2many("account.move", string="Invoices")
    invoice_count = fields.Integer(compute="_compute_invoice_count", store=True)

    @api.depends("move_ids")
    def _compute_invoice_count(self):
        for line in self:
            line.invoice_count = len(line.move_ids)

    def action_retry(self):
        """Invoice what is due on the run's date again (a second failure with the same reason
        flags the subscription as stuck)."""
        subscriptions = self.subscription_id
        subscriptions._check_billing_manager()
        run = (
            self.env["billing.run"]
            .sudo()
            ._run(max(self.run_id.mapped("reference_date")), subscription_ids=subscriptions.ids)
        )
        return run._action_open()
