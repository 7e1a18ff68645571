from odoo import api, fields, models

from .ondelete_guard import check_not_in_use


class PartnerType(models.Model):
    _name = "partner.type"
    _description = "Channel Partner Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable technical key, used by imports and data files.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by every company of the database."
    )
    membership_count = fields.Integer(compute="_compute_membership_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a partner type must be unique.")
    ]

    def _compute_membership_count(self):
        counts = dict(
            self.env["partner.membership"]._read_group(
                [("partner_type_id", "in", self.ids)], ["partner_type_id"], ["__count"]
            )
        )
        for partner_type in self:
            partner_type.membership_count = counts.get(partner_type, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        check_not_in_use(
            self,
            [("partner.membership", "partner_type_id"), ("scorecard.template", "partner_type_id")],
        )
