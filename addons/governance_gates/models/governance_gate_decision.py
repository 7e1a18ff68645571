from odoo import fields, models
from odoo.exceptions import UserError

from ..core import gate_logic

DECISION_STATES = {"go": "passed", "hold": "hold", "recycle": "recycled", "kill": "killed"}


class GovernanceGate(models.Model):
    """The decisions on a gate: go, hold, recycle, kill (each final), the re-check and the
    record it gates."""

    _inherit = "governance.gate"

    def _gate_decide(self, decision, note=False):
        """Close the gates with a decision (go, hold, recycle, kill). Final."""
        if not self:
            return
        if any(gate.state != "open" for gate in self):
            raise UserError(self.env._("This gate is already decided."))
        now = fields.Datetime.now()
        for gate in self:
            vals = {
                "state": DECISION_STATES[decision],
                "decided_by_id": self.env.user.id,
                "decided_on": now,
                "decision_note": note or False,
            }
            if decision == "go":
                evaluation = gate._evaluation_from_lines()
                vals["waiver_count"] = evaluation.waivers_used
                vals["should_score"] = evaluation.should_score
                vals["first_pass"] = not self.search_count(
                    [
                        ("res_model", "=", gate.res_model),
                        ("res_id", "=", gate.res_id),
                        ("stage_value", "=", gate.stage_value),
                        ("state", "in", ("hold", "recycled")),
                    ],
                    limit=1,
                )
            gate.sudo()._workflow_write(vals)
            suffix = " " + note if note else ""
            gate.message_post(
                body=self.env._(
                    "Decision: %(decision)s by %(user)s.%(note)s",
                    decision=dict(self._fields["state"].selection)[vals["state"]],
                    user=self.env.user.name,
                    note=suffix,
                )
            )
        self.sudo().activity_ids.unlink()
        self.approval_ids.sudo().activity_ids.unlink()
        self._sync_record_status()

    def _check_can_decide(self):
        self._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("decide a gate")
        )
        if any(gate.state != "open" for gate in self):
            raise UserError(self.env._("This gate is already decided."))

    def action_go(self):
        """Move the record into the gated stage: the guard decides the gate *go* if it passes."""
        self._check_can_decide()
        for gate in self:
            record = gate._get_record()
            record._gate_write(
                {record._gate_stage_field: record._gate_value_to_write(gate.stage_value)}
            )
        return True

    def action_hold(self):
        self._check_can_decide()
        self._gate_decide("hold")
        return True

    def action_recycle(self):
        self._check_can_decide()
        for gate in self:
            record = gate._get_record()
            order = record._gate_stage_order()
            target = gate.template_id.recycle_stage or gate_logic.previous_stage(
                order, record._gate_normalize(record[record._gate_stage_field])
            )
            gate._gate_decide("recycle")
            if target:
                record._gate_recycle(target)
        return True

    def action_kill(self):
        self._check_can_decide()
        for gate in self:
            gate._gate_decide("kill")
            gate._get_record()._gate_kill()
        return True

    def action_evaluate(self):
        self._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("re-check a gate")
        )
        for gate in self.filtered(lambda g: g.state == "open"):
            gate._gate_evaluate()
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
