import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import gate_logic
from .governance_gate_mixin import _BYPASS

_logger = logging.getLogger(__name__)

# the hourly cron re-evaluates a gate when its last evaluation is older than this (a little less
# than the interval, so a run that started late still takes every gate)
EVALUATION_FRESHNESS = timedelta(minutes=50)

# what may still change on a decided gate: nothing but chatter bookkeeping
_MUTABLE_AFTER_DECISION = {
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
    "website_message_ids",
}


class GovernanceGate(models.Model):
    """A gate instance: one record, one target stage, one template, decided once."""

    _name = "governance.gate"
    _description = "Governance Gate"
    _inherit = ["channel.workflow.guard", "mail.thread", "mail.activity.mixin"]
    # copied from the template and the record when the gate opens, or set by the decision:
    # only the gate's own actions write them (see channel.workflow.guard)
    _workflow_fields = (
        "name",
        "template_id",
        "res_model_id",
        "res_id",
        "stage_value",
        "stage_label",
        "state",
        "pass_mark",
        "approval_mode",
        "partner_id",
        "company_id",
        "decided_by_id",
        "decided_on",
        "decision_note",
        "should_score",
        "waiver_count",
        "first_pass",
        "evaluated_on",
    )
    _workflow_actions = {
        "state": "Go / Hold / Recycle / Kill",
        "decided_by_id": "Go / Hold / Recycle / Kill",
        "decided_on": "Go / Hold / Recycle / Kill",
        "decision_note": "Go / Hold / Recycle / Kill",
    }
    # a duplicate is the same gate on the same record and stage, with its criteria and approvals
    # (copied unticked and unreviewed): decided and evaluated afresh
    _workflow_copied_fields = (
        "name",
        "template_id",
        "res_model_id",
        "res_id",
        "stage_value",
        "stage_label",
        "pass_mark",
        "approval_mode",
        "partner_id",
        "company_id",
        "should_score",
    )
    # a gate opens with its criteria and approvals in one create (see _gate_open)
    _workflow_children = ("governance.gate.line", "governance.gate.approval")
    _order = "create_date desc, id desc"
    _rec_names_search = ["name", "record_name"]

    name = fields.Char(string="Gate", required=True, readonly=True)
    # cascade for the uninstall of the template's module; users are stopped by its guard
    template_id = fields.Many2one(
        "governance.gate.template", required=True, ondelete="cascade", index=True, readonly=True
    )
    res_model_id = fields.Many2one(
        "ir.model", string="Model", required=True, ondelete="cascade", index=True, readonly=True
    )
    res_model = fields.Char(
        related="res_model_id.model", store=True, index=True, string="Model Name"
    )
    res_id = fields.Many2oneReference(
        model_field="res_model", string="Record ID", required=True, index=True, readonly=True
    )
    record_name = fields.Char(compute="_compute_record_name", store=True, string="Record")
    stage_value = fields.Char(required=True, index=True, readonly=True)
    stage_label = fields.Char(string="Target Stage", readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("passed", "Passed"),
            ("hold", "On Hold"),
            ("recycled", "Recycled"),
            ("killed", "Killed"),
        ],
        default="open",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    pass_mark = fields.Float(readonly=True)
    approval_mode = fields.Selection(
        [("sequential", "In Order"), ("parallel", "In Parallel")],
        required=True,
        default="sequential",
        readonly=True,
    )
    line_ids = fields.One2many("governance.gate.line", "gate_id", string="Criteria", copy=True)
    approval_ids = fields.One2many(
        "governance.gate.approval", "gate_id", string="Approvals", copy=True
    )
    partner_id = fields.Many2one("res.partner", string="Channel Partner", index=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_on = fields.Datetime(readonly=True, index=True)
    decision_note = fields.Text(readonly=True)
    should_score = fields.Float(readonly=True, help="Should-meet score at the last evaluation.")
    is_ready = fields.Boolean(compute="_compute_evaluation", string="Ready")
    missing_summary = fields.Text(compute="_compute_evaluation", string="Missing")
    waiver_count = fields.Integer(
        readonly=True, help="Criteria counted as met through a waiver when the gate passed."
    )
    evaluated_on = fields.Datetime(
        readonly=True,
        index=True,
        copy=False,
        help="Last run of the automatic checks by the scheduled evaluation.",
    )
    first_pass = fields.Boolean(
        readonly=True,
        index=True,
        help="Passed without an earlier held or recycled gate for the same record and stage.",
    )

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for gate in self:
            record = gate._get_record()
            gate.record_name = record.display_name if record else False

    @api.depends("line_ids.outcome", "approval_ids.state", "pass_mark")
    def _compute_evaluation(self):
        for gate in self:
            evaluation = gate._evaluation_from_lines()
            gate.is_ready = evaluation.passed
            gate.missing_summary = (
                gate._gate_missing_text(evaluation) if not evaluation.passed else ""
            )

    def _get_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists()

    # ------------------------------------------------------------------ immutability

    def write(self, vals):
        if (
            set(vals) - _MUTABLE_AFTER_DECISION
            and any(g.state != "open" for g in self)
            and not self._workflow_bypassed()
        ):
            raise UserError(
                self.env._("A decided gate never changes: open a new gate for the stage.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(gate.state != "open" for gate in self):
            raise UserError(
                self.env._("A decided gate is part of the audit trail and cannot be deleted.")
            )

    @api.model
    def _gate_open(self, vals_list):
        """Open gates (the only way to create one): vals from the template's
        ``_prepare_gate_vals``, criteria and approvals included."""
        return self.sudo()._workflow_create(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        gates = super().create(vals_list)
        gates.approval_ids._refresh_states()
        gates._sync_record_status()
        for gate in gates:
            record = gate._get_record()
            if record:
                gate.message_post(
                    body=self.env._(
                        "Gate opened for %(record)s → %(stage)s.",
                        record=record.display_name,
                        stage=gate.stage_label,
                    )
                )
        return gates

    def _sync_record_status(self):
        """Copy the latest gate's status onto the gated records (stored, indexed there)."""
        for model, res_id in {(g.res_model, g.res_id) for g in self}:
            record = self.env[model].browse(res_id).exists()
            if not record:
                continue
            latest = self.search(
                [("res_model", "=", model), ("res_id", "=", res_id)], limit=1, order="id desc"
            )
            record.sudo().with_context(governance_gate_bypass=_BYPASS).write(
                {"gate_state": latest.state or "none", "gate_current_id": latest.id}
            )

    # ------------------------------------------------------------------ evaluation

    def _evaluation_from_lines(self):
        """Decision on the stored outcomes (no automatic check is re-run)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        criteria = [line._as_criterion() for line in self.line_ids]
        approvals = [gate_logic.Approval(a.name, a.state) for a in self.approval_ids]
        return gate_logic.evaluate_gate(criteria, approvals, self.pass_mark, today)

    def _gate_evaluate(self):
        """Re-run the automatic checks, store their outcome and return the decision."""
        self.ensure_one()
        self._run_automatic_checks()
        evaluation = self._evaluation_from_lines()
        if self.state == "open" and self.should_score != evaluation.should_score:
            self.sudo()._workflow_write({"should_score": evaluation.should_score})
        return evaluation

    def _run_automatic_checks(self):
        """Evaluate the domain and Python criteria of open gates in batch: one query per
        (model, condition) for all records, one method call per Python check and record."""
        lines = self.filtered(lambda g: g.state == "open").line_ids.filtered(
            lambda line: line.check_type in ("domain", "python")
        )
        results = {}
        for (model, check_type, spec), group in lines.grouped(
            lambda line: (
                line.gate_id.res_model,
                line.check_type,
                line.check_domain if line.check_type == "domain" else line.python_check,
            )
        ).items():
            records = self.env[model].browse(group.gate_id.mapped("res_id")).exists()
            if check_type == "domain":
                results.update(group._evaluate_domain(records, spec))
            else:
                results.update(group._evaluate_python(records, spec))
        # one UPDATE per distinct result, only for the lines whose result changed
        changed = {}
        for line in lines:
            outcome, error, found = results.get(line.id, (gate_logic.ERROR, "record not found", ""))
            result = (outcome, error or False, found or False)
            if result != (line.auto_result, line.auto_error or False, line.auto_evidence or False):
                changed.setdefault(result, []).append(line.id)
        now = fields.Datetime.now()
        Line = self.env["governance.gate.line"].sudo()
        for (outcome, error, found), line_ids in changed.items():
            Line.browse(line_ids)._workflow_write(
                {
                    "auto_result": outcome,
                    "auto_error": error,
                    "auto_evidence": found,
                    "checked_on": now,
                }
            )

    def _gate_missing_text(self, evaluation):
        self.ensure_one()
        parts = []
        if evaluation.must_missing:
            parts.append(self.env._("must meet: %s", ", ".join(evaluation.must_missing)))
        if not evaluation.score_reached:
            parts.append(
                self.env._(
                    "should-meet score %(score)s%% below the pass mark %(mark)s%% (missing: "
                    "%(items)s)",
                    score=round(evaluation.should_score, 2),
                    mark=round(evaluation.pass_mark, 2),
                    items=", ".join(evaluation.should_missing),
                )
            )
        if evaluation.approvals_missing:
            parts.append(self.env._("approvals: %s", ", ".join(evaluation.approvals_missing)))
        if evaluation.approvals_rejected:
            parts.append(self.env._("rejected by: %s", ", ".join(evaluation.approvals_rejected)))
        return "; ".join(parts)

    def _gate_missing_message(self, evaluation):
        self.ensure_one()
        return self.env._(
            "%(record)s, gate “%(gate)s”: %(missing)s",
            record=self.record_name,
            gate=self.name,
            missing=self._gate_missing_text(evaluation),
        )

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_evaluate_open_gates(self, batch_size=200, now=None, slice_index=0):
        """Re-run the automatic checks of one batch of open gates; return how many are left.

        One bounded batch per call: the cron framework commits after each call and calls again
        at once while ``_notify_progress`` reports work left, so a crash loses at most one batch.
        Safe to run twice (``evaluated_on`` is the high-water mark: a gate evaluated within the
        last ``EVALUATION_FRESHNESS`` is not taken again) and on two workers at once (``FOR
        UPDATE SKIP LOCKED``: each worker takes gates the other has not locked). Call
        ``slice_index`` takes the gates of its parallel slice only (``ir.cron``
        ``_channel_slice_sql``).
        """
        now = now or fields.Datetime.now()
        todo = SQL(
            "FROM governance_gate WHERE state = 'open' "
            "AND (evaluated_on IS NULL OR evaluated_on <= %s) AND %s",
            now - EVALUATION_FRESHNESS,
            self.env["ir.cron"]._channel_slice_sql(
                SQL.identifier("governance_gate", "id"), slice_index
            ),
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id %s ORDER BY evaluated_on NULLS FIRST, id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                todo,
                batch_size,
            )
        )
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        try:
            with self.env.cr.savepoint():
                batch._run_automatic_checks()
        except Exception:
            # one gate must not hold back the others: again gate by gate, failures logged
            self.env.invalidate_all()
            for gate in batch:
                try:
                    with self.env.cr.savepoint():
                        gate._run_automatic_checks()
                except Exception:
                    _logger.exception("Automatic checks of gate %s failed", gate.id)
        batch.sudo()._workflow_write({"evaluated_on": now})
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT COUNT(*) %s", todo))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return remaining

    @api.model
    def _cron_remind_approvers(self, batch_size=200):
        """Remind reviewers of pending approvals whose activity is overdue (open gates only:
        a decided gate has no pending approval left, so its reminders stop), once a day each
        (``reminded_on``), one bounded batch per call taken with SKIP LOCKED, one message per
        gate for all its overdue approvals; ``ir.cron`` calls again while some remain."""
        today = fields.Date.context_today(self)
        Approval = self.env["governance.gate.approval"].sudo()
        todo = [
            ("state", "=", "pending"),
            ("gate_id.state", "=", "open"),
            ("activity_ids.date_deadline", "<", today),
            "|",
            ("reminded_on", "=", False),
            ("reminded_on", "<", today),
        ]
        approvals = self.env["ir.cron"]._channel_lock_batch(Approval, todo, batch_size)
        for gate, pending in approvals.grouped("gate_id").items():
            gate.message_post(
                body=self.env._(
                    "Reminder: the approval “%s” is still pending.",
                    ", ".join(pending.mapped("name")),
                ),
                partner_ids=pending.reviewer_ids.partner_id.ids,
            )
        approvals._workflow_write({"reminded_on": today})
        self.env["ir.cron"]._notify_progress(
            done=len(approvals), remaining=Approval.search_count(todo)
        )
        return approvals
