from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# How much an outage of the end customer's ERP hurts its business: picks the default SLA policy
CRITICALITIES = [
    ("standard", "Standard"),
    ("business_critical", "Business-Critical"),
    ("mission_critical", "Mission-Critical"),
]
# without a policy (or a version in force) the scheduled backups run daily
DEFAULT_BACKUP_FREQUENCY = timedelta(days=1)


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
    criticality = fields.Selection(
        CRITICALITIES,
        string="Default for Criticality",
        tracking=True,
        index=True,
        help="New tenants of this criticality get this policy (one policy per criticality and "
        "company); changing a tenant's criticality proposes it again.",
    )
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

    @api.constrains("criticality", "company_id", "active")
    def _check_criticality(self):
        for policy in self.filtered(lambda p: p.criticality and p.active):
            other = self.search(
                [
                    ("id", "!=", policy.id),
                    ("criticality", "=", policy.criticality),
                    ("company_id", "=", policy.company_id.id),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "%(other)s is already the default policy for %(criticality)s tenants: "
                        "clear its Default for Criticality before setting it on %(policy)s.",
                        other=other.name,
                        criticality=dict(CRITICALITIES)[policy.criticality],
                        policy=policy.name,
                    )
                )

    @api.model
    def _default_for(self, criticality, company):
        """The policy new tenants of ``criticality`` in ``company`` get (the company's own
        before one shared by all companies); empty when none is mapped."""
        if not criticality:
            return self.browse()
        policies = self.search(
            [("criticality", "=", criticality), ("company_id", "in", (company.id, False))]
        )
        return policies.filtered(lambda p: p.company_id == company)[:1] or policies[:1]

    def _version_at(self, moment):
        """The active version in force at ``moment`` (the one an incident opened then keeps)."""
        self.ensure_one()
        versions = self.version_ids.filtered(
            lambda v: v.state == "active" and v.effective_from <= moment
        ).sorted(lambda v: (v.effective_from, v.version))
        return versions[-1:] if versions else self.env["tenant.sla.policy.version"]

    def _backup_frequency_at(self, moment):
        """How often the scheduled backups run under this policy at ``moment`` (daily without a
        policy or a version in force)."""
        version = self._version_at(moment) if self else None
        return version._backup_frequency() if version else DEFAULT_BACKUP_FREQUENCY
