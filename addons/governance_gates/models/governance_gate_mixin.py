from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core import gate_logic, gate_view

GATE_STATES = [
    ("none", "No Gate"),
    ("open", "Open"),
    ("passed", "Passed"),
    ("hold", "On Hold"),
    ("recycled", "Recycled"),
    ("killed", "Killed"),
]

# Only code of this module can skip the guard (recycling a record to an earlier stage): the context
# is client-controlled, so the key's value must be this very object, which no RPC call can forge.
_BYPASS = object()
# the gate status copied onto the record: written by the gates only (_sync_record_status)
_STATUS_FIELDS = ("gate_state", "gate_current_id")


class GovernanceGateMixin(models.AbstractModel):
    """Stage gates on any model with a stage field. See readme/DEVELOP.md for the contract."""

    _name = "governance.gate.mixin"
    _description = "Governance Gate Mixin"

    # name of the selection or many2one field holding the stage; None disables the mixin
    _gate_stage_field = None
    # guarded stages: selection keys, or xml ids / ids of stage records; None = any with a template
    _gate_guarded_stages = None

    gate_ids = fields.One2many(
        "governance.gate", "res_id", string="Gates", auto_join=True, copy=False
    )
    gate_state = fields.Selection(
        GATE_STATES,
        string="Gate Status",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    gate_current_id = fields.Many2one(
        "governance.gate", string="Current Gate", readonly=True, copy=False, index="btree_not_null"
    )
    gate_count = fields.Integer(compute="_compute_gate_count", string="Gate Count")

    def _compute_gate_count(self):
        counts = dict(
            self.env["governance.gate"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.gate_count = counts.get(record.id, 0)

    # ------------------------------------------------------------------ hooks (override)

    def _gate_python_checks(self):
        """Registered automatic checks: {code: label}. Extend with super()."""
        return {}

    def _gate_complexity_tier(self):
        """1, 2, 3 or False; selects templates with a minimum complexity tier."""
        return False

    def _gate_partner(self):
        """The channel partner (commercial entity) whose portal users may follow the gates."""
        partner = self["partner_id"] if "partner_id" in self._fields else False
        return partner.commercial_partner_id if partner else self.env["res.partner"]

    def _gate_kill(self):
        """Cancel the records after a *kill* decision. Default: archive them."""
        if "active" in self._fields:
            self.with_context(governance_gate_bypass=_BYPASS)._gate_write({"active": False})

    def _gate_recycle(self, stage_value):
        """Send the records back to an earlier stage after a *recycle* decision."""
        self.with_context(governance_gate_bypass=_BYPASS)._gate_write(
            {self._gate_stage_field: self._gate_value_to_write(stage_value)}
        )

    def _gate_write(self, vals):
        """A write the gates' own actions make on the record (Go, Recycle, Kill). When the
        adopter guards its workflow fields (``channel.workflow.guard``), it goes through that
        bypass: these actions are the record's workflow. The gate guard itself still applies."""
        if hasattr(self, "_workflow_write"):
            return self._workflow_write(vals)
        return self.write(vals)

    # ------------------------------------------------------------------ stage helpers

    @api.model
    def _gate_stage_is_m2o(self):
        return self._fields[self._gate_stage_field].type == "many2one"

    @api.model
    def _gate_normalize(self, value):
        """A stage as stored on gates and templates: selection key, or str(id) for a many2one."""
        if not value:
            return False
        if self._gate_stage_is_m2o():
            if isinstance(value, models.BaseModel):
                value = value.id
            return str(int(value)) if value else False
        return value

    @api.model
    def _gate_value_to_write(self, stage_value):
        if not stage_value:
            return False
        return int(stage_value) if self._gate_stage_is_m2o() else stage_value

    @api.model
    def _gate_stage_order(self):
        field = self._fields[self._gate_stage_field]
        if field.type == "many2one":
            return [str(i) for i in self.env[field.comodel_name].sudo().search([]).ids]
        return [key for key, _label in field._description_selection(self.env)]

    @api.model
    def _gate_stage_label(self, stage_value):
        field = self._fields[self._gate_stage_field]
        if not stage_value:
            return ""
        if field.type == "many2one":
            return self.env[field.comodel_name].sudo().browse(int(stage_value)).display_name
        return dict(field._description_selection(self.env)).get(stage_value, stage_value)

    @api.model
    def _gate_guarded_values(self):
        """Normalised guarded stages: a set, or None for "any stage with a template"."""
        if self._gate_guarded_stages is None:
            return None
        if not self._gate_stage_is_m2o():
            return set(self._gate_guarded_stages)
        values = set()
        for stage in self._gate_guarded_stages:
            if isinstance(stage, str) and not stage.isdigit():
                stage = self.env.ref(stage, raise_if_not_found=False)
            if stage:
                values.add(self._gate_normalize(stage))
        return values

    @api.model
    def _gate_templates_by_stage(self):
        """{stage value: templates} of the active templates of this model, guarded stages only."""
        templates = (
            self.env["governance.gate.template"]
            .sudo()
            .search([("model", "=", self._name), ("active", "=", True)])
        )
        guarded = self._gate_guarded_values()
        result = {}
        for template in templates:
            if guarded is None or template.stage_value in guarded:
                result.setdefault(template.stage_value, template.browse())
                result[template.stage_value] |= template
        return result

    def _gate_applicable_templates(self, stage_value, templates=None):
        """Templates that apply to this record for ``stage_value`` (complexity tier and domain)."""
        self.ensure_one()
        if templates is None:
            templates = self._gate_templates_by_stage().get(stage_value)
        if not templates:
            return self.env["governance.gate.template"].sudo()
        tier = self._gate_complexity_tier()
        applicable = templates.browse()
        for template in templates:
            if template.complexity_tier and (not tier or int(tier) < int(template.complexity_tier)):
                continue
            if template.domain_filter and not self.sudo().filtered_domain(
                template._get_domain_filter_for(self)
            ):
                continue
            applicable |= template
        return applicable

    # ------------------------------------------------------------------ guard

    def _gate_check_status_vals(self, vals):
        refused = [name for name in _STATUS_FIELDS if name in vals]
        if refused and self.env.context.get("governance_gate_bypass") is not _BYPASS:
            raise AccessError(
                self.env._(
                    "You cannot set %(fields)s directly: the gates set it when they open and "
                    "when they are decided.",
                    fields=", ".join(refused),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._gate_check_status_vals(vals)
        records = super().create(vals_list)
        if self._gate_stage_field:
            guarded = records._gate_templates_by_stage()
            for record in records:
                stage = record._gate_normalize(record[self._gate_stage_field])
                if stage in guarded:
                    record._gate_enforce(stage, guarded)
            records._gate_prepare_next(guarded)
        return records

    def write(self, vals):
        self._gate_check_status_vals(vals)
        field = self._gate_stage_field
        if not field or field not in vals:
            return super().write(vals)
        target = self._gate_normalize(vals[field])
        moving = self.filtered(lambda r: r._gate_normalize(r[field]) != target)
        guarded = moving._gate_templates_by_stage() if moving else {}
        if target in guarded and self.env.context.get("governance_gate_bypass") is not _BYPASS:
            moving._gate_enforce(target, guarded)
        result = super().write(vals)
        if moving:
            moving._gate_prepare_next(guarded)
        return result

    def _gate_enforce(self, stage_value, templates_by_stage):
        """Refuse the move into ``stage_value`` unless every applicable gate passes; decide the
        passing gates *go*. Raises a UserError listing what is missing, record by record."""
        Gate = self.env["governance.gate"].sudo()
        open_gates = Gate.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("stage_value", "=", stage_value),
                ("state", "=", "open"),
            ]
        )
        by_key = {(g.res_id, g.template_id.id): g for g in open_gates}
        problems = []
        passing = Gate.browse()
        stage_label = self._gate_stage_label(stage_value)
        for record in self:
            templates = record._gate_applicable_templates(
                stage_value, templates_by_stage.get(stage_value)
            )
            for template in templates:
                gate = by_key.get((record.id, template.id))
                if not gate:
                    problems.append(
                        self.env._(
                            "%(record)s: the gate “%(gate)s” has not been opened yet. "
                            "Open it with the Gates button and complete: %(criteria)s.",
                            record=record.display_name,
                            gate=template.name,
                            criteria=", ".join(template.criterion_ids.mapped("name")),
                        )
                    )
                    continue
                evaluation = gate._gate_evaluate()
                if evaluation.passed:
                    passing |= gate
                else:
                    problems.append(gate._gate_missing_message(evaluation))
        if problems:
            raise UserError(
                self.env._(
                    "This move to “%(stage)s” is blocked by its governance gate:\n%(problems)s",
                    stage=stage_label,
                    problems="\n".join(f"• {p}" for p in problems),
                )
            )
        passing._gate_decide("go")

    def _gate_prepare_next(self, templates_by_stage=None):
        """Open the gate of the next guarded stage of each record, so it can be worked on before
        anyone tries the move."""
        if templates_by_stage is None:
            templates_by_stage = self._gate_templates_by_stage()
        if not templates_by_stage:
            return self.env["governance.gate"]
        order = self._gate_stage_order()
        gates = self.env["governance.gate"]
        for record in self:
            current = record._gate_normalize(record[self._gate_stage_field])
            target = gate_logic.next_stage(order, current, set(templates_by_stage))
            if target:
                gates |= record._gate_prepare(target, templates_by_stage)
        return gates

    def _gate_prepare(self, stage_value, templates_by_stage=None):
        """Create the missing open gate instances of ``stage_value`` for this record."""
        self.ensure_one()
        if templates_by_stage is None:
            templates_by_stage = self._gate_templates_by_stage()
        templates = self._gate_applicable_templates(
            stage_value, templates_by_stage.get(stage_value)
        )
        Gate = self.env["governance.gate"].sudo()
        existing = Gate.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("stage_value", "=", stage_value),
                ("state", "=", "open"),
            ]
        )
        gates = existing
        for template in templates - existing.template_id:
            gates |= Gate._gate_open([template._prepare_gate_vals(self, stage_value)])
        return gates

    # ------------------------------------------------------------------ views

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """Every form of an adopting model shows the gate button with the gate status, once,
        in its button box: no adopter writes it by hand (see core/gate_view.py)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form" and self._gate_stage_field:
            gate_view.inject_gate_button(
                arch, self.env._("Gates"), "partner_scorecard.group_channel_user"
            )
        return arch, view

    # ------------------------------------------------------------------ buttons

    def action_gate_prepare(self):
        """Open the gates of the next guarded stage (creating them when needed) and show them."""
        self.ensure_one()
        # the gates are created as superuser: without this a portal user could open them
        self.env["channel.workflow.guard"]._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("prepare governance gates")
        )
        gates = self._gate_prepare_next()
        if not gates:
            raise UserError(
                self.env._("No gate template applies to the next stage of %s.", self.display_name)
            )
        return self.action_gate_open()

    def action_gate_open(self):
        self.ensure_one()
        gates = self.env["governance.gate"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "governance_gates.governance_gate_action"
        )
        action["domain"] = [("id", "in", gates.ids)]
        action["context"] = {"create": False}
        open_gates = gates.filtered(lambda g: g.state == "open")
        current = open_gates[:1] if len(open_gates) == 1 else gates[:1] if len(gates) == 1 else None
        if current:
            action.update(view_mode="form", views=[(False, "form")], res_id=current.id)
        return action
