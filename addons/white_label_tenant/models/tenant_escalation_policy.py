from odoo import fields, models


class TenantSlaPolicy(models.Model):
    """Who the escalation chains of the policy's versions reach beyond the incident's
    responsible: people change without the contract changing, so they sit on the policy."""

    _inherit = "tenant.sla.policy"

    escalation_team_lead_id = fields.Many2one(
        "res.users",
        string="Escalation Team Lead",
        tracking=True,
        help="Notified by the Team Lead levels of this policy's escalation chains.",
    )
    escalation_duty_manager_id = fields.Many2one(
        "res.users",
        string="Platform Duty Manager",
        tracking=True,
        help="Notified by the Platform Duty Manager levels of this policy's escalation chains.",
    )


class TenantSlaPolicyVersion(models.Model):
    _inherit = "tenant.sla.policy.version"

    escalation_level_ids = fields.One2many(
        "tenant.escalation.level",
        "version_id",
        string="Escalation Chain",
        copy=True,
        help="Each level is notified once while an incident under this version stays open.",
    )
