from odoo import api, fields, models


class TenantTenant(models.Model):
    _inherit = "tenant.tenant"

    latency_degraded = fields.Boolean(
        string="Latency Degraded",
        compute="_compute_latency_degraded",
        store=True,
        index=True,
        help="One of the tenant's environments answers its health probes much slower than its "
        "baseline, for several probes in a row.",
    )

    @api.depends("environment_ids.latency_degraded")
    def _compute_latency_degraded(self):
        for tenant in self:
            tenant.latency_degraded = any(tenant.environment_ids.mapped("latency_degraded"))
