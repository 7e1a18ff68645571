from odoo import api, fields, models


class TenantSlaPolicy(models.Model):
    """A named service level (e.g. per partner tier); its terms live in immutable versions."""

    _name = "tenant.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    version_ids = fields.One2many("tenant.sla.policy.version", "policy_id", string="Versions")
    current_version_id = fields.Many2one(
        "tenant.sla.policy.version",
        string="Current Version",
        compute="_compute_current_version_id",
    )
    company_id = fields.Many2one(
        "res.company", string="Company", index=True, default=lambda s: s.env.company
    )

    @api.depends("version_ids.state", "version_ids.effective_from")
    def _compute_current_version_id(self):
        now = fields.Datetime.now()
        for policy in self:
            policy.current_version_id = policy._version_at(now)

    def _version_at(self, moment):
        """The active version in force at ``moment`` (the one an incident opened then keeps)."""
        self.ensure_one()
        versions = self.version_ids.filtered(
            lambda v: v.state == "active" and v.effective_from <= moment
        ).sorted(lambda v: (v.effective_from, v.version))
        return versions[-1:] if versions else self.env["tenant.sla.policy.version"]
