from odoo import api, models


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _channel_batch_jobs(self):
        """The batch jobs of this module that run in parallel slices (see partner_scorecard)."""
        return {
            **super()._channel_batch_jobs(),
            "recurring_billing.ir_cron_billing_invoice": "_cron_invoice",
            "recurring_billing.ir_cron_billing_renew": "_cron_renew",
        }
