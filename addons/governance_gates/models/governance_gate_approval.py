from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import gate_logic

APPROVAL_STATES = [
    ("waiting", "Waiting"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class GovernanceGateApproval(models.Model):
    """One approval a gate needs; ``state`` and ``reviewer_ids`` are stored so that "waiting for
    my approval" is a plain search."""

    _name = "governance.gate.approval"
    _inherit = ["channel.workflow.guard"]
    _description = "Governance Gate Approval"
    # the step as routed when the gate opened, and its review: only the actions write them
    _workflow_fields = (
        "gate_id",
        "rule_id",
        "sequence",
        "name",
        "reviewer_ids",
        "state",
        "reviewed_by_id",
        "reviewed_on",
        "activity_ids",
        "reminded_on",
    )
    # a duplicate is the same step, not yet reviewed
    _workflow_copied_fields = ("gate_id", "rule_id", "sequence", "name", "reviewer_ids")
    _workflow_actions = {
        "state": "Approve / Reject",
        "reviewed_by_id": "Approve / Reject",
        "reviewed_on": "Approve / Reject",
    }
    _order = "gate_id, sequence, id"

    gate_id = fields.Many2one("governance.gate", required=True, ondelete="cascade", index=True)
    gate_state = fields.Selection(related="gate_id.state", string="Gate Status")
    record_name = fields.Char(related="gate_id.record_name", string="Record")
    stage_label = fields.Char(related="gate_id.stage_label", string="Target Stage")
    company_id = fields.Many2one(related="gate_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="gate_id.partner_id", store=True, index=True)
    rule_id = fields.Many2one("governance.gate.approval.rule", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    reviewer_ids = fields.Many2many("res.users", string="Reviewers", readonly=True)
    state = fields.Selection(
        APPROVAL_STATES, default="waiting", required=True, index=True, readonly=True
    )
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    reviewed_on = fields.Datetime(readonly=True)
    reminded_on = fields.Date(
        string="Reminded On",
        readonly=True,
        copy=False,
        help="The last day its reviewers were reminded that it is overdue (once a day).",
    )
    comment = fields.Text()
    activity_ids = fields.Many2many("mail.activity", string="Activities", readonly=True)
    can_review = fields.Boolean(compute="_compute_can_review")

    @api.depends_context("uid")
    @api.depends("state", "reviewer_ids")
    def _compute_can_review(self):
        for approval in self:
            approval.can_review = approval._user_can_review(self.env.user)

    def _user_can_review(self, user):
        self.ensure_one()
        if self.state != "pending" or self.gate_id.state != "open" or not user._is_internal():
            return False
        if self.reviewer_ids:
            return user in self.reviewer_ids
        # nobody resolved (e.g. an empty solution lead): channel managers decide
        return user.has_group("partner_scorecard.group_channel_manager")

    def write(self, vals):
        if not self._workflow_bypassed():
            if any(a.gate_id.state != "open" for a in self):
                raise UserError(
                    self.env._("A decided gate never changes: its approvals are frozen.")
                )
            if "comment" in vals and any(a.state in ("approved", "rejected") for a in self):
                raise UserError(
                    self.env._(
                        "The Comment of a reviewed approval is part of its review and cannot "
                        "be changed: add a note in the gate's chatter instead."
                    )
                )
        return super().write(vals)

    def _refresh_states(self):
        """Recompute waiting/pending from the decided steps (order matters in sequential mode)
        and schedule an activity for each reviewer of a newly pending step."""
        for gate in self.gate_id:
            approvals = gate.approval_ids.sorted(lambda a: (a.sequence, a.id))
            states = gate_logic.approval_states(
                [a.sequence for a in approvals],
                {i for i, a in enumerate(approvals) if a.state == "approved"},
                {i for i, a in enumerate(approvals) if a.state == "rejected"},
                gate.approval_mode,
            )
            for approval, state in zip(approvals, states, strict=True):
                if approval.state != state:
                    approval.sudo()._workflow_write({"state": state})
                    if state == "pending":
                        approval._schedule_activities()

    def _schedule_activities(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for approval in self:
            activities = self.env["mail.activity"]
            for user in approval.reviewer_ids:
                activities |= approval.gate_id.sudo().activity_schedule(
                    activity_type_id=activity_type.id if activity_type else False,
                    summary=self.env._("Approve gate: %s", approval.name),
                    note=self.env._(
                        "%(record)s → %(stage)s",
                        record=approval.record_name,
                        stage=approval.stage_label,
                    ),
                    user_id=user.id,
                )
            approval.sudo()._workflow_write({"activity_ids": [fields.Command.set(activities.ids)]})

    def _review(self, state, comment=False):
        for approval in self:
            if not approval._user_can_review(self.env.user):
                raise UserError(
                    self.env._(
                        "You cannot review “%s”: it is not pending or you are not one of its "
                        "reviewers.",
                        approval.name,
                    )
                )
            approval.sudo()._workflow_write(
                {
                    "state": state,
                    "reviewed_by_id": self.env.user.id,
                    "reviewed_on": fields.Datetime.now(),
                    "comment": comment or approval.comment,
                }
            )
            approval.activity_ids.sudo().unlink()
            suffix = " " + approval.comment if approval.comment else ""
            approval.gate_id.message_post(
                body=self.env._(
                    "“%(step)s” %(state)s by %(user)s.%(comment)s",
                    step=approval.name,
                    state=dict(APPROVAL_STATES)[state].lower(),
                    user=self.env.user.name,
                    comment=suffix,
                )
            )
        self._refresh_states()
        return True

    def action_approve(self):
        return self._review("approved")

    def action_reject(self):
        return self._review("rejected")
