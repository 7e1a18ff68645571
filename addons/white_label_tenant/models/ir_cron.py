from odoo import api, models


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _channel_batch_jobs(self):
        """The batch jobs of this module that run in parallel slices (see partner_scorecard)."""
        return {
            **super()._channel_batch_jobs(),
            "white_label_tenant.cron_sla_scan": "_cron_sla_scan",
            "white_label_tenant.cron_probe": "_cron_probe",
            "white_label_tenant.cron_backup": "_cron_backup",
            "white_label_tenant.cron_prune_retention": "_cron_prune_retention",
        }
