from odoo import fields, models


class PartnerVertical(models.Model):
    _name = "partner.vertical"
    _description = "Industry Vertical"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by every company of the database."
    )

    _sql_constraints = [("name_unique", "unique(name)", "This vertical already exists.")]
