from odoo import api, fields, models

from .scorecard_metric import METRIC_DOMAINS


class PartnerReviewAction(models.Model):
    """One item of a corrective action plan, followed through an activity of its owner."""

    _name = "partner.review.action"
    _description = "Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_due, id"

    name = fields.Char(string="Action", required=True, tracking=True)
    review_id = fields.Many2one("partner.review", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="review_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    domain = fields.Selection(METRIC_DOMAINS, help="The scorecard domain this action improves.")
    owner_id = fields.Many2one("res.users", string="Owner", required=True, tracking=True)
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [
            ("todo", "To Do"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="todo",
        required=True,
        index=True,
        tracking=True,
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    @api.depends("date_due", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state in ("todo", "in_progress") and action.date_due < today

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._schedule_owner_activity()
        return actions

    def write(self, vals):
        result = super().write(vals)
        if {"owner_id", "date_due"} & set(vals):
            self.activity_unlink(["mail.mail_activity_data_todo"])
            self.filtered(lambda a: a.state in ("todo", "in_progress"))._schedule_owner_activity()
        if vals.get("state") in ("done", "cancel"):
            self.activity_feedback(["mail.mail_activity_data_todo"])
        return result

    def _schedule_owner_activity(self):
        for action in self:
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_due,
                summary=action.name,
                user_id=action.owner_id.id,
            )

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})
