from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    billing_auto_post = fields.Boolean(
        string="Post Subscription Invoices",
        default=True,
        help="Post the invoices created by the billing run; leave them in draft when unchecked.",
    )
