from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .billing_subscription_line import LAYER_OF_SERVICE, SERVICE_TYPES


class BillingBundleLine(models.Model):
    """One product of a bundle at its wholesale price: per month for a recurring service, once
    for a one-time one (implementation, onboarding)."""

    _name = "billing.bundle.line"
    _description = "Offer Bundle Line"
    _order = "bundle_id, sequence, id"
    _check_company_auto = True

    bundle_id = fields.Many2one("billing.bundle", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="bundle_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="bundle_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, domain="[('sale_ok', '=', True)]"
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        translate=True,
    )
    service_type = fields.Selection(SERVICE_TYPES, required=True, default="support")
    recurring = fields.Boolean(
        compute="_compute_recurring",
        store=True,
        readonly=False,
        precompute=True,
        help="One-time lines (implementation, onboarding) are billed once.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    monthly_price = fields.Monetary(
        string="Wholesale Price",
        required=True,
        help="What the platform bills the partner: per month for a recurring line (the "
        "subscription bills it per its billing period), once for a one-time line.",
    )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            line.name = line.product_id.display_name or line.name

    @api.depends("service_type")
    def _compute_recurring(self):
        for line in self:
            line.recurring = LAYER_OF_SERVICE.get(line.service_type) != "implementation"

    @api.constrains("monthly_price", "quantity")
    def _check_amounts(self):
        for line in self:
            if line.monthly_price < 0 or line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "Bundle %(bundle)s, line %(line)s: the Wholesale Price cannot be negative "
                        "and the Quantity must be above 0.",
                        bundle=line.bundle_id.name,
                        line=line.name,
                    )
                )
