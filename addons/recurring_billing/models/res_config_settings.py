from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    billing_auto_post = fields.Boolean(related="company_id.billing_auto_post", readonly=False)
