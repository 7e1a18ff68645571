from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.partner_scorecard.models.ondelete_guard import check_not_in_use

from ..core import gate_logic

TIERS = [("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3")]


class GovernanceGateTemplate(models.Model):
    """What a record must meet to enter a stage of its model."""

    _name = "governance.gate.template"
    _description = "Governance Gate Template"
    _inherit = ["mail.thread"]
    _order = "model, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Html(translate=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Applies To",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
        tracking=True,
    )
    model = fields.Char(related="model_id.model", store=True, index=True, string="Model Name")
    stage_model = fields.Char(compute="_compute_stage_model", store=True, string="Stage Model")
    stage_key = fields.Char(
        string="Selection Stage",
        tracking=True,
        help="The stage's value, for a stage that is a selection field.",
    )
    stage_res_id = fields.Many2oneReference(
        model_field="stage_model",
        string="Stage Record",
        tracking=True,
        help="Id of the stage record, for a many2one stage field.",
    )
    stage_value = fields.Char(
        compute="_compute_stage_value", store=True, index=True, string="Stage Value"
    )
    stage_label = fields.Char(compute="_compute_stage_label", string="Stage")
    domain_filter = fields.Char(
        string="Applies When", help="Domain on the record: the template applies only to matches."
    )
    complexity_tier = fields.Selection(
        TIERS, string="Minimum Complexity Tier", help="Empty: applies whatever the tier."
    )
    pass_mark = fields.Float(
        default=0.0, tracking=True, help="Share (0-100) of the should-meet weight that must pass."
    )
    approval_mode = fields.Selection(
        [("sequential", "In Order"), ("parallel", "In Parallel")],
        default="sequential",
        required=True,
    )
    recycle_stage = fields.Char(
        help="Stage (key or id) a recycled record goes back to; empty: the stage before."
    )
    criterion_ids = fields.One2many(
        "governance.gate.criterion", "template_id", string="Criteria", copy=True
    )
    approval_rule_ids = fields.One2many(
        "governance.gate.approval.rule", "template_id", string="Approvals", copy=True
    )
    gate_count = fields.Integer(compute="_compute_gate_count", string="Gates")

    @api.depends("model_id")
    def _compute_stage_model(self):
        for template in self:
            model = self.env.get(template.model) if template.model else None
            field_name = getattr(model, "_gate_stage_field", None) if model is not None else None
            field = model._fields.get(field_name) if field_name else None
            template.stage_model = (
                field.comodel_name if field and field.type == "many2one" else False
            )

    @api.depends("stage_key", "stage_res_id", "stage_model")
    def _compute_stage_value(self):
        for template in self:
            if template.stage_model:
                template.stage_value = (
                    str(template.stage_res_id) if template.stage_res_id else False
                )
            else:
                template.stage_value = template.stage_key or False

    @api.depends("stage_value", "model")
    def _compute_stage_label(self):
        for template in self:
            model = self.env.get(template.model) if template.model else None
            if model is not None and getattr(model, "_gate_stage_field", None):
                template.stage_label = model._gate_stage_label(template.stage_value)
            else:
                template.stage_label = template.stage_value or ""

    def _compute_gate_count(self):
        counts = dict(
            self.env["governance.gate"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.gate_count = counts.get(template, 0)

    def _get_domain_filter(self):
        self.ensure_one()
        return literal_eval(self.domain_filter.strip()) if self.domain_filter else []

    def _get_domain_filter_for(self, records):
        """The domain to filter ``records`` with, or none while it names a field their model does
        not have yet: during a module update the registry holds the fields of the modules loaded so
        far, and a domain a later module set (white_label_tenant's ``tenant_ids`` on the project
        go-live template) is evaluated while an earlier module's data loads. The template then
        applies as it did on a fresh install before that module set its domain. A domain with an
        unknown field cannot be saved otherwise (``_check_configuration``)."""
        domain = self._get_domain_filter()
        for leaf in domain:
            is_leaf = isinstance(leaf, list | tuple) and len(leaf) == 3
            if (
                is_leaf
                and isinstance(leaf[0], str)
                and leaf[0].split(".")[0] not in records._fields
            ):
                return []
        return domain

    # ------------------------------------------------------------------ validation

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        check_not_in_use(self, [("governance.gate", "template_id")])

    @api.constrains("model_id", "stage_key", "stage_res_id", "domain_filter", "pass_mark", "active")
    def _check_configuration(self):
        for template in self:
            model = self.env.get(template.model)
            if model is None or not getattr(model, "_gate_stage_field", None):
                raise ValidationError(
                    self.env._(
                        "The gate template “%(name)s” applies to %(model)s, which does not adopt "
                        "governance gates: pick a model that inherits governance.gate.mixin.",
                        name=template.name,
                        model=template.model_id.name,
                    )
                )
            if not template.stage_value or template.stage_value not in model._gate_stage_order():
                raise ValidationError(
                    self.env._(
                        "The gate template “%(name)s” needs a stage of %(model)s: set the "
                        "Stage Key (selection) or the Stage Record (stage model).",
                        name=template.name,
                        model=template.model_id.name,
                    )
                )
            if template.domain_filter:
                try:
                    model.search_count(template._get_domain_filter(), limit=1)
                except Exception as error:
                    raise ValidationError(
                        self.env._(
                            "The “Applies When” domain of the gate template “%(name)s” is "
                            "invalid: %(error)s",
                            name=template.name,
                            error=error,
                        )
                    ) from error

    @api.constrains("criterion_ids", "pass_mark", "active")
    def _check_criteria(self):
        messages = {
            "no_criteria": self.env._("it has no criteria: add at least one criterion"),
            "pass_mark_range": self.env._("its Pass Mark must be between 0 and 100"),
            "pass_mark_unreachable": self.env._(
                "its Pass Mark cannot be reached: it has no should-meet criterion with a "
                "weight; lower the Pass Mark to 0 or add should-meet criteria"
            ),
            "negative_weight": self.env._("a criterion has a negative Weight"),
        }
        for template in self.filtered("active"):
            problems = gate_logic.template_problems(
                [(c.kind, c.weight) for c in template.criterion_ids], template.pass_mark
            )
            if problems:
                raise ValidationError(
                    self.env._(
                        "The gate template “%(name)s” is misconfigured: %(problems)s.",
                        name=template.name,
                        problems="; ".join(messages[p] for p in problems),
                    )
                )

    # ------------------------------------------------------------------ instances

    def _prepare_gate_vals(self, record, stage_value):
        self.ensure_one()
        partner = record._gate_partner()
        company = record["company_id"] if "company_id" in record._fields else False
        return {
            "template_id": self.id,
            "name": self.name,
            "res_model_id": self.model_id.id,
            "res_id": record.id,
            "stage_value": stage_value,
            "stage_label": record._gate_stage_label(stage_value),
            "pass_mark": self.pass_mark,
            "approval_mode": self.approval_mode,
            "partner_id": partner.id if partner else False,
            "company_id": company.id if company else self.env.company.id,
            "line_ids": [
                fields.Command.create(criterion._prepare_gate_line_vals())
                for criterion in self.criterion_ids
            ],
            "approval_ids": [
                fields.Command.create(vals)
                for rule in self.approval_rule_ids
                for vals in [rule._prepare_gate_approval_vals(record)]
            ],
        }

    def action_open_gates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "governance_gates.governance_gate_action"
        )
        action["domain"] = [("template_id", "=", self.id)]
        return action
