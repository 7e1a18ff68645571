from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .ondelete_guard import check_not_in_use


class PartnerCertificationType(models.Model):
    _name = "partner.certification.type"
    _description = "Certification or Training"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    validity_months = fields.Integer(
        string="Validity (months)",
        default=24,
        help="Months a certification stays valid after it is obtained; 0 means it never expires.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by every company of the database."
    )

    _sql_constraints = [("code_unique", "unique(code)", "The certification code must be unique.")]

    @api.constrains("validity_months")
    def _check_validity(self):
        if any(kind.validity_months < 0 for kind in self):
            raise ValidationError(
                self.env._("Validity (months) cannot be negative: use 0 for no expiry.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        check_not_in_use(self, [("partner.certification", "certification_type_id")])
