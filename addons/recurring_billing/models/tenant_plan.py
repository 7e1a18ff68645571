from odoo import fields, models


class TenantPlan(models.Model):
    _inherit = "tenant.plan"

    hosting_price = fields.Monetary(
        string="Hosting Price (monthly)",
        currency_field="hosting_currency_id",
        help="Wholesale price per environment and month: hosting is priced by infrastructure "
        "(size, environments, storage), never per user.",
    )
    hosting_currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    hosting_product_id = fields.Many2one(
        "product.product", string="Hosting Product", domain="[('sale_ok', '=', True)]"
    )
