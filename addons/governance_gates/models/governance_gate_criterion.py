from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

KINDS = [("must", "Must Meet"), ("should", "Should Meet")]
CHECK_TYPES = [("checklist", "Checklist Item"), ("domain", "Record Condition"), ("python", "Check")]


class GovernanceGateCriterion(models.Model):
    _name = "governance.gate.criterion"
    _description = "Governance Gate Criterion"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "governance.gate.template", required=True, ondelete="cascade", index=True
    )
    model = fields.Char(related="template_id.model", string="Model Name")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    kind = fields.Selection(KINDS, required=True, default="must")
    weight = fields.Float(default=1.0, help="Weight in the should-meet score.")
    check_type = fields.Selection(CHECK_TYPES, required=True, default="checklist")
    check_domain = fields.Char(string="Condition", help="Domain the record must match.")
    python_check = fields.Char(
        string="Automatic Check", help="Code registered by _gate_python_checks."
    )
    evidence_required = fields.Boolean(help="Ticking needs a note or an attachment as evidence.")
    portal_tickable = fields.Boolean(
        string="Partner Can Tick", help="The channel partner's portal users may tick this item."
    )

    @api.constrains("check_type", "check_domain", "python_check", "template_id")
    def _check_check(self):
        for criterion in self:
            model = self.env.get(criterion.model) if criterion.model else None
            if criterion.check_type == "domain":
                try:
                    domain = literal_eval((criterion.check_domain or "").strip())
                    model.search_count(domain, limit=1)
                except Exception as error:
                    raise ValidationError(
                        self.env._(
                            "The criterion “%(name)s” needs a valid Condition (a domain on "
                            "%(model)s): %(error)s",
                            name=criterion.name,
                            model=criterion.model,
                            error=error,
                        )
                    ) from error
            if criterion.check_type == "python":
                codes = model._gate_python_checks() if model is not None else {}
                if criterion.python_check not in codes:
                    raise ValidationError(
                        self.env._(
                            "The criterion “%(name)s” uses the check “%(code)s”, which %(model)s "
                            "does not register. Known checks: %(codes)s.",
                            name=criterion.name,
                            code=criterion.python_check or "",
                            model=criterion.model,
                            codes=", ".join(sorted(codes)) or "-",
                        )
                    )

    def _prepare_gate_line_vals(self):
        self.ensure_one()
        return {
            "criterion_id": self.id,
            "sequence": self.sequence,
            "name": self.name,
            "kind": self.kind,
            "weight": self.weight,
            "check_type": self.check_type,
            "check_domain": self.check_domain,
            "python_check": self.python_check,
            "evidence_required": self.evidence_required,
            "portal_tickable": self.portal_tickable,
        }
