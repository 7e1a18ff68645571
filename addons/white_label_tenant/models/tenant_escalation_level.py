import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

RECIPIENT_KINDS = [
    ("responsible", "Responsible"),
    ("team_lead", "Team Lead"),
    ("partner_contact", "Partner Contact"),
    ("duty_manager", "Platform Duty Manager"),
]


class TenantEscalationLevel(models.Model):
    """One level of an SLA policy version's escalation chain: who is told, once, when an incident
    is still open after so much business time since it opened (the version's calendar)."""

    _name = "tenant.escalation.level"
    _description = "Escalation Level"
    _order = "version_id, sequence, after_minutes, id"

    version_id = fields.Many2one(
        "tenant.sla.policy.version",
        string="SLA Version",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    after_minutes = fields.Integer(
        string="After (business minutes)",
        required=True,
        help="Business time since the incident opened, counted on the version's working hours "
        "(every minute on a 24x7 version). Acknowledging does not restart it; resolving the "
        "incident stops the chain.",
    )
    after_hours = fields.Float(
        string="After (business hours)", compute="_compute_after_hours", digits=(16, 2)
    )
    recipient_kind = fields.Selection(
        RECIPIENT_KINDS,
        string="Notify",
        required=True,
        help="Responsible: the incident's (else the tenant's) responsible. Team Lead and Platform "
        "Duty Manager: the users set on the SLA policy. Partner Contact: the tenant's channel "
        "partner, by e-mail.",
    )
    company_id = fields.Many2one(related="version_id.company_id", store=True, index=True)

    @api.depends("after_minutes")
    def _compute_after_hours(self):
        for level in self:
            level.after_hours = level.after_minutes / 60.0

    @api.depends("recipient_kind", "after_minutes")
    def _compute_display_name(self):
        kinds = dict(self._fields["recipient_kind"]._description_selection(self.env))
        for level in self:
            level.display_name = self.env._(
                "%(who)s after %(hours)s business hours",
                who=kinds.get(level.recipient_kind, ""),
                hours=round(level.after_minutes / 60.0, 2),
            )

    @api.constrains("after_minutes")
    def _check_after_minutes(self):
        for level in self:
            if level.after_minutes < 0 or not math.isfinite(level.after_minutes):
                raise ValidationError(
                    self.env._(
                        "After (business minutes) of an escalation level must be 0 or more "
                        "(e.g. 120 for two business hours), not %(value)s.",
                        value=level.after_minutes,
                    )
                )

    def _check_version_draft(self, versions=None):
        """The chain is part of the version's terms: an active version is a contract."""
        versions = self.version_id if versions is None else versions
        locked = versions.filtered(lambda version: version.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "%(version)s is not a draft: its escalation chain cannot change. Use New "
                    "Version to change the chain from a date on.",
                    version=locked[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        Version = self.env["tenant.sla.policy.version"]
        self._check_version_draft(
            Version.browse({v["version_id"] for v in vals_list if v.get("version_id")})
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_version_draft()
        if vals.get("version_id"):
            self._check_version_draft(
                self.env["tenant.sla.policy.version"].browse(vals["version_id"])
            )
        return super().write(vals)

    def unlink(self):
        self._check_version_draft()
        return super().unlink()
