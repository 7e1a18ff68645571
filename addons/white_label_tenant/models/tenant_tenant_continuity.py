from odoo import api, fields, models

from .tenant_sla_policy import CRITICALITIES


class TenantTenant(models.Model):
    """A tenant's business continuity: its criticality picks the default SLA policy, whose
    version sets the backup frequency and retention and the RPO/RTO targets the restore tests
    are measured against."""

    _inherit = "tenant.tenant"

    criticality = fields.Selection(
        CRITICALITIES,
        required=True,
        compute="_compute_criticality",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        help="How much an outage hurts the end customer's business (taken from the end "
        "customer's ERP Criticality). Picks the SLA policy set as default for this criticality "
        "(SLA Policies > Default for Criticality).",
    )
    # the default follows the criticality; a policy chosen by hand is kept until it changes again
    sla_policy_id = fields.Many2one(
        compute="_compute_sla_policy_id", store=True, readonly=False, precompute=True
    )
    # the terms of the policy version in force and the last restore test of production
    backup_frequency = fields.Float(string="Backup Every", compute="_compute_continuity")
    backup_frequency_unit = fields.Selection(
        [("minutes", "Minutes"), ("hours", "Hours")], compute="_compute_continuity"
    )
    backup_retention_days = fields.Integer(
        string="Keep Every Backup (days)", compute="_compute_continuity"
    )
    rpo_target_minutes = fields.Float(string="Contracted RPO (min)", compute="_compute_continuity")
    rto_target_minutes = fields.Float(string="Contracted RTO (min)", compute="_compute_continuity")
    last_restore_test_id = fields.Many2one(
        "tenant.restore.test",
        string="Last Restore Test",
        compute="_compute_continuity",
        help="The latest restore test of a production environment.",
    )
    rpo_achieved_minutes = fields.Float(
        string="Measured RPO (min)", compute="_compute_continuity", digits=(16, 1)
    )
    rto_achieved_minutes = fields.Float(
        string="Measured RTO (min)", compute="_compute_continuity", digits=(16, 1)
    )
    rpo_met = fields.Boolean(string="RPO Met", compute="_compute_continuity")
    rto_met = fields.Boolean(string="RTO Met", compute="_compute_continuity")

    @api.depends("end_customer_id")
    def _compute_criticality(self):
        for tenant in self:
            customer = tenant.end_customer_id.commercial_partner_id
            tenant.criticality = customer.tenant_criticality or tenant.criticality or "standard"

    @api.depends("criticality")
    def _compute_sla_policy_id(self):
        Policy = self.env["tenant.sla.policy"]
        for tenant in self:
            default = Policy._default_for(tenant.criticality, tenant.company_id or self.env.company)
            tenant.sla_policy_id = default or tenant.sla_policy_id

    @api.depends("sla_policy_id")
    def _compute_continuity(self):
        Test = self.env["tenant.restore.test"]
        for tenant in self:
            version = tenant.sla_policy_id.current_version_id
            test = Test.search(
                [
                    ("tenant_id", "=", tenant._origin.id),
                    ("environment_id.stage", "=", "production"),
                ],
                order="started_at desc, id desc",
                limit=1,
            )
            tenant.update(
                {
                    "backup_frequency": version.backup_frequency,
                    "backup_frequency_unit": version.backup_frequency_unit,
                    "backup_retention_days": version.backup_retention_days,
                    "rpo_target_minutes": version.rpo_minutes,
                    "rto_target_minutes": version.rto_minutes,
                    "last_restore_test_id": test,
                    "rpo_achieved_minutes": test.rpo_achieved_minutes,
                    "rto_achieved_minutes": test.rto_achieved_minutes,
                    "rpo_met": test.rpo_met,
                    "rto_met": test.rto_met,
                }
            )
