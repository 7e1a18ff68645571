from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    billing_auto_post = fields.Boolean(
        string="Post Subscription Invoices",
        default=True,
        help="Post the invoices created by the billing run; leave them in draft when unchecked.",
    )
    billing_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Default Subscription Payment Terms",
        check_company=True,
        help="Payment terms of the subscription invoices of a partner who has none. Without any, "
        "an invoice is due on its invoice date (the date of the billing period it is for), not on "
        "the day the billing run happened.",
    )
