from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import dunning as dunning_core


class BillingDunningPolicy(models.Model):
    """How overdue wholesale invoices are chased: levels in days after the due date, each with
    its channel; the last level may suspend the tenants the invoice bills."""

    _name = "billing.dunning.policy"
    _description = "Dunning Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    level_ids = fields.One2many("billing.dunning.level", "policy_id", string="Levels", copy=True)
    note = fields.Html(string="Notes")

    @api.constrains("level_ids")
    def _check_levels(self):
        for policy in self:
            levels = policy.level_ids.sorted("days")
            try:
                dunning_core.check_level_days(levels.mapped("days"))
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: each level's “Days Overdue” must be at least 1 and "
                        "differ from the other levels' (they run in that order).",
                        policy=policy.name,
                    )
                ) from None
            suspending = levels.filtered("suspend")
            if suspending and suspending != levels[-1]:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: only its last level (the most days overdue) may "
                        "“Suspend Tenants”; untick it on %(levels)s.",
                        policy=policy.name,
                        levels=", ".join((suspending - levels[-1]).mapped("name")),
                    )
                )

    @api.model
    def _for_company(self, company):
        """The company's dunning policy (the first active one), or an empty recordset."""
        return self.search([("company_id", "=", company.id)], limit=1)
