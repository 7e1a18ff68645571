from odoo import api, fields, models
from odoo.exceptions import UserError


class PartnerReview(models.Model):
    """The quarterly business review of a scorecard: what to fix, what to learn, what to grow."""

    _name = "partner.review"
    _description = "Quarterly Business Review"
    _inherit = ["channel.workflow.guard", "mail.thread", "mail.activity.mixin"]
    # held or cancelled through the buttons only: holding marks the scorecard reviewed, and a held
    # review is never cancelled (channel.workflow.guard)
    _workflow_fields = ("state",)
    _workflow_actions = {"state": "Mark as Held / Cancel"}
    _order = "review_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    # cascade for the uninstall; users are stopped by the scorecard's guard
    scorecard_id = fields.Many2one(
        "partner.scorecard", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="scorecard_id.partner_id", store=True, index=True)
    period_id = fields.Many2one(related="scorecard_id.period_id", store=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, index=True)
    overall_score = fields.Float(related="scorecard_id.overall_score")
    is_complete = fields.Boolean(related="scorecard_id.is_complete")
    review_date = fields.Date(default=fields.Date.context_today, required=True, tracking=True)
    reviewer_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True, string="Reviewer"
    )
    state = fields.Selection(
        [("draft", "Planned"), ("done", "Held"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    summary = fields.Html()
    enablement_priorities = fields.Html(help="Training and enablement to focus on next period.")
    growth_targets = fields.Html(string="Growth Targets for Next Period")
    action_ids = fields.One2many("partner.review.action", "review_id", string="Action Plan")
    open_action_count = fields.Integer(compute="_compute_open_action_count")

    @api.depends("scorecard_id.name")
    def _compute_name(self):
        for review in self:
            review.name = self.env._("Review of %(card)s", card=review.scorecard_id.name or "")

    @api.depends("action_ids.state")
    def _compute_open_action_count(self):
        for review in self:
            review.open_action_count = len(
                review.action_ids.filtered(lambda a: a.state in ("todo", "in_progress"))
            )

    def action_done(self):
        for review in self:
            if review.scorecard_id.state == "computed":
                review.scorecard_id.action_mark_reviewed()
        self._workflow_write({"state": "done"})

    def action_cancel(self):
        if any(review.state == "done" for review in self):
            raise UserError(self.env._("A review that was held cannot be cancelled."))
        self._workflow_write({"state": "cancel"})
