from odoo import fields, models

from .tenant_sla_policy import CRITICALITIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    tenant_criticality = fields.Selection(
        CRITICALITIES,
        string="ERP Criticality",
        tracking=True,
        help="How much an outage of its ERP hurts this customer's business. Its new tenants get "
        "this criticality, which picks their default SLA policy.",
    )
