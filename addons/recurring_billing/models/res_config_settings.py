from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    billing_auto_post = fields.Boolean(related="company_id.billing_auto_post", readonly=False)
    billing_payment_term_id = fields.Many2one(
        related="company_id.billing_payment_term_id", readonly=False
    )
