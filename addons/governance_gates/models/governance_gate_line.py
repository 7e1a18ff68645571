from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

from ..core import evidence, gate_logic
from .governance_gate_criterion import CHECK_TYPES, KINDS

OUTCOMES = [("todo", "To Do"), ("pass", "Passed"), ("fail", "Failed"), ("error", "Error")]
# the snapshot of the template criterion, taken when the gate opens and frozen from then on
_SNAPSHOT = (
    "gate_id",
    "criterion_id",
    "sequence",
    "name",
    "kind",
    "weight",
    "check_type",
    "check_domain",
    "python_check",
    "evidence_required",
    "portal_tickable",
)
# what only the buttons (tick, untick, waive) and the automatic checks set
_WORKFLOW = (
    "done",
    "done_by_id",
    "done_on",
    "auto_result",
    "auto_error",
    "auto_evidence",
    "checked_on",
    "waived",
    "waiver_reason",
    "waiver_expiry",
    "waived_by_id",
)


class GovernanceGateLine(models.Model):
    """A criterion of a gate instance: a snapshot of the template criterion and its outcome."""

    _name = "governance.gate.line"
    _inherit = ["channel.workflow.guard"]
    _description = "Governance Gate Criterion Result"
    # people write the evidence (note, files); the rest only through the gate's actions
    _workflow_fields = _SNAPSHOT + _WORKFLOW
    # a duplicate is the same criterion, not yet ticked, waived or checked
    _workflow_copied_fields = _SNAPSHOT
    _workflow_actions = {
        "done": "Tick",
        "done_by_id": "Tick",
        "done_on": "Tick",
        "waived": "Waive",
        "waiver_reason": "Waive",
        "waiver_expiry": "Waive",
        "waived_by_id": "Waive",
    }
    _order = "gate_id, sequence, id"

    gate_id = fields.Many2one("governance.gate", required=True, ondelete="cascade", index=True)
    gate_state = fields.Selection(related="gate_id.state", string="Gate Status")
    partner_id = fields.Many2one(related="gate_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="gate_id.company_id", store=True, index=True)
    criterion_id = fields.Many2one("governance.gate.criterion", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    kind = fields.Selection(KINDS, required=True, default="must")
    weight = fields.Float(default=1.0)
    check_type = fields.Selection(CHECK_TYPES, required=True, default="checklist")
    check_domain = fields.Char(string="Condition")
    python_check = fields.Char(string="Automatic Check")
    evidence_required = fields.Boolean()
    portal_tickable = fields.Boolean(string="Partner Can Tick")
    # checklist
    done = fields.Boolean(string="Ticked", readonly=True)
    done_by_id = fields.Many2one("res.users", string="Ticked By", readonly=True)
    done_on = fields.Datetime(string="Ticked On", readonly=True)
    evidence_note = fields.Text(string="Evidence")
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence Files")
    # automatic checks
    auto_result = fields.Selection(OUTCOMES, default="todo", readonly=True, string="Check Result")
    auto_error = fields.Char(readonly=True, string="Check Error")
    auto_evidence = fields.Text(
        readonly=True,
        string="Check Evidence",
        help="What the automatic check found at its last run (or what is missing).",
    )
    checked_on = fields.Datetime(readonly=True)
    # waiver
    waived = fields.Boolean(readonly=True)
    waiver_reason = fields.Text(readonly=True)
    waiver_expiry = fields.Date(readonly=True)
    waived_by_id = fields.Many2one("res.users", string="Waived By", readonly=True)
    waiver_valid = fields.Boolean(compute="_compute_waiver_valid", string="Waiver Valid")
    outcome = fields.Selection(
        OUTCOMES, compute="_compute_outcome", store=True, index=True, string="Outcome"
    )

    @api.depends("check_type", "done", "auto_result")
    def _compute_outcome(self):
        for line in self:
            if line.check_type == "checklist":
                line.outcome = "pass" if line.done else "todo"
            else:
                line.outcome = line.auto_result or "todo"

    @api.depends("waived", "waiver_expiry")
    def _compute_waiver_valid(self):
        today = fields.Date.context_today(self)
        for line in self:
            criterion = line._as_criterion()
            line.waiver_valid = gate_logic.waiver_valid(
                criterion.waived, criterion.waiver_expiry, today
            )

    def _as_criterion(self):
        """The line as core sees it: the one place ORM values become core types (the ORM's
        ``False`` for an empty field becomes ``None``, or the type's neutral value)."""
        self.ensure_one()
        return gate_logic.Criterion(
            label=self.name or "",
            kind=self.kind or gate_logic.MUST,
            outcome=self.outcome or gate_logic.TODO,
            weight=self.weight or 0.0,
            waived=bool(self.waived),
            waiver_expiry=self.waiver_expiry or None,
        )

    def write(self, vals):
        if any(line.gate_id.state != "open" for line in self):
            raise UserError(self.env._("A decided gate never changes: its criteria are frozen."))
        return super().write(vals)

    # ------------------------------------------------------------------ automatic checks

    def _evaluate_domain(self, records, domain_text):
        """{line id: (outcome, error, evidence)} for one condition over the records of these
        lines."""
        try:
            domain = literal_eval((domain_text or "").strip())
            matching = set(records.sudo().search([("id", "in", records.ids), *domain]).ids)
        except Exception as error:  # fail closed: a broken condition blocks
            return {line.id: (gate_logic.ERROR, str(error)[:250], "") for line in self}
        return {
            line.id: (
                gate_logic.PASS if line.gate_id.res_id in matching else gate_logic.FAIL,
                "",
                "",
            )
            for line in self
        }

    def _evaluate_python(self, records, code):
        """{line id: (outcome, error, evidence)} for one registered check over the records of
        these lines.

        A model may implement ``_gate_batch_check_<code>(self)`` returning the ids that pass (or
        a dict {id: result}), to check many records in one query; otherwise
        ``_gate_check_<code>()`` runs per record. A result is truthy/falsy or a
        ``gate_logic.CheckResult`` carrying the evidence found. Checks must only read. Any
        exception fails the check (fail closed)."""
        batch = getattr(records, f"_gate_batch_check_{code}", None)
        if batch is not None:
            try:
                found = batch()
            except Exception as error:  # fail closed: a check that errors blocks
                message = str(error)[:250] or type(error).__name__
                return {line.id: (gate_logic.ERROR, message, "") for line in self}
            if not isinstance(found, dict):
                found = dict.fromkeys(found, True)
            results = {}
            for line in self:
                outcome, evidence_text = gate_logic.check_outcome(found.get(line.gate_id.res_id))
                results[line.id] = (outcome, "", evidence_text)
            return results
        results = {}
        by_id = {record.id: record for record in records}
        for line in self:
            record = by_id.get(line.gate_id.res_id)
            method = getattr(record, f"_gate_check_{code}", None) if record else None
            if method is None:
                results[line.id] = (gate_logic.ERROR, f"check {code} is not implemented", "")
                continue
            try:
                outcome, found = gate_logic.check_outcome(method())
            except Exception as error:  # fail closed: a check that errors blocks
                message = str(error)[:250] or type(error).__name__
                results[line.id] = (gate_logic.ERROR, message, "")
                continue
            results[line.id] = (outcome, "", found)
        return results

    # ------------------------------------------------------------------ people

    def _check_open(self):
        if any(line.gate_id.state != "open" for line in self):
            raise UserError(self.env._("A decided gate never changes: its criteria are frozen."))

    def action_tick(self):
        """Tick checklist items (staff, or the partner for items marked Partner Can Tick)."""
        self._check_open()
        is_portal = not self.env.user._is_internal()
        for line in self:
            if line.check_type != "checklist":
                raise UserError(
                    self.env._("“%s” is checked automatically and cannot be ticked.", line.name)
                )
            if is_portal and not line.portal_tickable:
                raise UserError(self.env._("“%s” is not yours to tick.", line.name))
            if line.evidence_required and not (line.evidence_note or line.attachment_ids):
                raise UserError(
                    self.env._(
                        "“%s” needs evidence: fill in the Evidence note or attach a file "
                        "before ticking it.",
                        line.name,
                    )
                )
            line.sudo()._workflow_write(
                {"done": True, "done_by_id": self.env.user.id, "done_on": fields.Datetime.now()}
            )
            line.gate_id.sudo().message_post(
                body=self.env._(
                    "“%(item)s” ticked by %(user)s. Evidence: %(evidence)s",
                    item=line.name,
                    user=self.env.user.name,
                    evidence=line.evidence_note or "-",
                ),
                attachment_ids=line.attachment_ids.ids,
            )
        return True

    def action_untick(self):
        self._check_open()
        self._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("untick a checklist item")
        )
        for line in self.filtered("done"):
            line.sudo()._workflow_write({"done": False, "done_by_id": False, "done_on": False})
            line.gate_id.message_post(
                body=self.env._(
                    "“%(item)s” unticked by %(user)s.", item=line.name, user=self.env.user.name
                )
            )
        return True

    def _waive(self, reason, expiry=False):
        """Waive criteria (channel managers only), audited in the gate's chatter."""
        self._check_open()
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("waive a gate criterion")
        )
        if not (reason or "").strip():
            raise UserError(self.env._("A waiver needs a Reason."))
        for line in self:
            line.sudo()._workflow_write(
                {
                    "waived": True,
                    "waiver_reason": reason,
                    "waiver_expiry": expiry or False,
                    "waived_by_id": self.env.user.id,
                }
            )
            line.gate_id.message_post(
                body=self.env._(
                    "“%(item)s” waived by %(user)s until %(expiry)s: %(reason)s",
                    item=line.name,
                    user=self.env.user.name,
                    expiry=expiry or self.env._("no expiry"),
                    reason=reason,
                )
            )
        return True

    # ------------------------------------------------------------------ evidence files

    @api.model
    def _evidence_max_bytes(self):
        """Size limit of one evidence file: ``governance_gates.evidence_max_bytes`` (system
        parameter), 10 MiB by default."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param("governance_gates.evidence_max_bytes")
        )
        try:
            return int(value) if value else evidence.DEFAULT_MAX_BYTES
        except ValueError:
            return evidence.DEFAULT_MAX_BYTES

    def _attach_evidence_file(self, filename, data):
        """Attach an uploaded evidence file to this criterion once its size and type (name and
        content) are accepted; a UserError says what is wrong otherwise."""
        self.ensure_one()
        self._check_open()
        max_bytes = self._evidence_max_bytes()
        problem = evidence.check_evidence_file(
            filename, len(data), guess_mimetype(data, default="") if data else "", max_bytes
        )
        if problem == "too_large":
            raise UserError(
                self.env._(
                    "The evidence file “%(name)s” is too large: at most %(size)s MB.",
                    name=filename,
                    size=round(max_bytes / (1024 * 1024), 1),
                )
            )
        if problem == "empty":
            raise UserError(self.env._("The evidence file “%s” is empty.", filename))
        if problem:
            raise UserError(
                self.env._(
                    "The evidence file “%(name)s” is not accepted: attach a document or an image "
                    "(%(types)s) whose content matches its name.",
                    name=filename,
                    types=", ".join(evidence.allowed_extensions()),
                )
            )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename,
                    "raw": data,
                    "res_model": "governance.gate",
                    "res_id": self.gate_id.id,
                }
            )
        )
        self.sudo().write({"attachment_ids": [fields.Command.link(attachment.id)]})
        return attachment

    def action_open_waive_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive a Criterion"),
            "res_model": "governance.gate.waiver.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }
