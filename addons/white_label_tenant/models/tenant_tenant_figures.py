from datetime import timedelta

from odoo import fields, models

from ..core.reliability import format_share


class TenantTenant(models.Model):
    """A tenant's service figures of the last 30 days, as the form and the portal show them.

    A figure without data (no probe, no incident measured against a target, no backup) reads
    "no data", never 0 %. The error budget is shown as SRE practice does: the share of the budget
    consumed (above 100 % the SLO is missed) and the burn rate.
    """

    _inherit = "tenant.tenant"

    uptime_30d = fields.Float(
        string="Uptime 30d (%)",
        compute="_compute_figures",
        digits=(16, 3),
        help="0 when nothing was measured: read Uptime (30 days) for what users see.",
    )
    sla_compliance_30d = fields.Float(
        string="SLA Compliance 30d (%)", compute="_compute_figures", digits=(16, 1)
    )
    backup_success_30d = fields.Float(
        string="Backup Success 30d (%)", compute="_compute_figures", digits=(16, 1)
    )
    restore_pass_30d = fields.Float(
        string="Restore Tests Passed 30d (%)", compute="_compute_figures", digits=(16, 1)
    )
    error_budget_consumed_30d = fields.Float(
        string="Error Budget Consumed 30d (%)",
        compute="_compute_figures",
        digits=(16, 1),
        help="Share of the 30 days' error budget (1 - uptime SLO) spent by failed probes; above "
        "100 % the SLO is missed.",
    )
    burn_rate_30d = fields.Float(
        string="SLA Burn Rate (30 days)",
        compute="_compute_figures",
        digits=(16, 2),
        help="Observed failure share over the allowed one: 1 spends the budget exactly over the "
        "period, 2 in half of it.",
    )
    uptime_30d_text = fields.Char(string="Uptime (30 days)", compute="_compute_figures")
    error_budget_30d_text = fields.Char(string="Error Budget (30 days)", compute="_compute_figures")
    sla_compliance_30d_text = fields.Char(
        string="SLA Compliance (30 days)", compute="_compute_figures"
    )
    backup_success_30d_text = fields.Char(
        string="Backups Succeeded (30 days)", compute="_compute_figures"
    )
    restore_pass_30d_text = fields.Char(
        string="Restore Tests Passed (30 days)", compute="_compute_figures"
    )

    def _compute_figures(self):
        date_to = fields.Date.context_today(self)
        figures = self.env["tenant.operations"]._get_figures(
            date_to - timedelta(days=29), date_to, "tenant_id", self.ids, self.company_id
        )
        no_data = self.env._("no data")
        for tenant in self:
            row = figures.get(tenant.id, {})
            uptime, consumed = row.get("uptime"), row.get("error_budget_consumed")
            tenant.uptime_30d = 100.0 * (uptime or 0.0)
            tenant.sla_compliance_30d = 100.0 * (row.get("sla_compliance") or 0.0)
            tenant.backup_success_30d = 100.0 * (row.get("backup_success") or 0.0)
            tenant.restore_pass_30d = 100.0 * (row.get("restore_pass") or 0.0)
            tenant.error_budget_consumed_30d = 100.0 * (consumed or 0.0)
            tenant.burn_rate_30d = row.get("burn_rate") or 0.0
            tenant.uptime_30d_text = format_share(uptime, 3) or no_data
            rate = f"{tenant.burn_rate_30d:.2f}"  # outside _(): babel evaluates f-strings
            tenant.error_budget_30d_text = (
                self.env._(
                    "%(consumed)s consumed, burn rate %(rate)s",
                    consumed=format_share(consumed, 1),
                    rate=rate,
                )
                if consumed is not None
                else no_data
            )
            tenant.sla_compliance_30d_text = format_share(row.get("sla_compliance"), 1) or no_data
            tenant.backup_success_30d_text = format_share(row.get("backup_success"), 1) or no_data
            tenant.restore_pass_30d_text = format_share(row.get("restore_pass"), 1) or no_data
