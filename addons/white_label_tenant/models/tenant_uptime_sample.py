from odoo import api, fields, models


class TenantUptimeSample(models.Model):
    """One health probe of one environment: the raw material of uptime and error budgets."""

    _name = "tenant.uptime.sample"
    _description = "Uptime Sample"
    _order = "probed_at desc, id desc"
    _rec_name = "probed_at"

    environment_id = fields.Many2one(
        "tenant.environment", required=True, index=True, ondelete="cascade"
    )
    tenant_id = fields.Many2one(related="environment_id.tenant_id", store=True, index=True)
    partner_id = fields.Many2one(related="environment_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="environment_id.company_id", store=True, index=True)
    probed_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    ok = fields.Boolean(string="Up")
    success_count = fields.Integer(
        compute="_compute_success_count", store=True, help="1 when up: sums give uptime."
    )
    status_code = fields.Integer(string="HTTP Status")
    latency_ms = fields.Float(string="Latency (ms)", digits=(16, 1))
    error = fields.Char()

    @api.depends("ok")
    def _compute_success_count(self):
        for sample in self:
            sample.success_count = 1 if sample.ok else 0

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS tenant_uptime_sample_env_probed_idx "
            "ON tenant_uptime_sample (environment_id, probed_at)"
        )
