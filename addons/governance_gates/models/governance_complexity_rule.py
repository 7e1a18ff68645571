from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .governance_gate_template import TIERS


class GovernanceComplexityRule(models.Model):
    """A qualification rule: a deal matching the condition is at least this complexity tier."""

    _name = "governance.complexity.rule"
    _description = "Complexity Tier Rule"
    _order = "tier desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    tier = fields.Selection(TIERS, required=True, default="2")
    domain = fields.Char(
        string="Condition", required=True, default="[]", help="Domain on the opportunity."
    )
    company_id = fields.Many2one("res.company", string="Company", index=True)

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self:
            try:
                self.env["crm.lead"].search_count(literal_eval(rule.domain.strip()), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The condition of the complexity rule “%(name)s” is not a valid domain on "
                        "opportunities: %(error)s",
                        name=rule.name,
                        error=error,
                    )
                ) from error

    def _get_domain(self):
        self.ensure_one()
        return literal_eval((self.domain or "[]").strip())

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self._recompute_leads()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self._recompute_leads()
        return result

    def unlink(self):
        result = super().unlink()
        self._recompute_leads()
        return result

    @api.model
    def _recompute_leads(self):
        """Re-qualify the open deals after a rule changed. A won deal keeps the tier it was
        won with (its project and gates were set from it) and a lost or archived one is
        history: neither is touched."""
        leads = self.env["crm.lead"].search([("stage_id.is_won", "=", False)])
        self.env.add_to_compute(self.env["crm.lead"]._fields["complexity_tier"], leads)
