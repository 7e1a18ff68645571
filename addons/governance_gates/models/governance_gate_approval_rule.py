from odoo import api, fields, models
from odoo.exceptions import ValidationError

APPROVER_TYPES = [("group", "Group"), ("user", "User"), ("field", "Field on the Record")]


class GovernanceGateApprovalRule(models.Model):
    """Who must approve a gate of a template."""

    _name = "governance.gate.approval.rule"
    _description = "Governance Gate Approval Rule"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "governance.gate.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(
        default=10, help="In-order approvals: lower sequences first; equal sequences together."
    )
    name = fields.Char(required=True, translate=True)
    approver_type = fields.Selection(APPROVER_TYPES, required=True, default="group")
    group_id = fields.Many2one("res.groups", string="Group", ondelete="restrict")
    user_id = fields.Many2one("res.users", string="User", ondelete="restrict")
    user_field_id = fields.Many2one(
        "ir.model.fields",
        string="User Field",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('relation', '=', 'res.users')]",
    )
    model_id = fields.Many2one(related="template_id.model_id", string="Model")

    @api.constrains("approver_type", "group_id", "user_id", "user_field_id")
    def _check_approver(self):
        for rule in self:
            if rule.approver_type == "group" and not rule.group_id.exists():
                raise ValidationError(
                    self.env._("The approval “%s” needs an existing Group.", rule.name)
                )
            if rule.approver_type == "user" and not rule.user_id:
                raise ValidationError(self.env._("The approval “%s” needs a User.", rule.name))
            if rule.approver_type == "field":
                field = rule.user_field_id
                if (
                    not field
                    or field.model != rule.template_id.model
                    or field.ttype != "many2one"
                    or field.relation != "res.users"
                ):
                    raise ValidationError(
                        self.env._(
                            "The approval “%(name)s” needs a User Field: a many2one to users "
                            "on %(model)s.",
                            name=rule.name,
                            model=rule.template_id.model,
                        )
                    )

    def _resolve_reviewers(self, record):
        self.ensure_one()
        if self.approver_type == "group":
            users = self.group_id.users
        elif self.approver_type == "user":
            users = self.user_id
        else:
            users = record.sudo()[self.user_field_id.name]
        return users.filtered(lambda u: u.active and u._is_internal())

    def _prepare_gate_approval_vals(self, record):
        self.ensure_one()
        return {
            "rule_id": self.id,
            "sequence": self.sequence,
            "name": self.name,
            "reviewer_ids": [fields.Command.set(self._resolve_reviewers(record).ids)],
        }
