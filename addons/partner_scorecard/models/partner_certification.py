from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PartnerCertification(models.Model):
    """A consultant of a channel partner holding a certification; it counts until it expires."""

    _name = "partner.certification"
    _description = "Partner Certification"
    _inherit = ["mail.thread"]
    _order = "date_obtained desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        domain=[("is_channel_partner", "=", True)],
        tracking=True,
    )
    consultant_id = fields.Many2one(
        "res.partner",
        string="Consultant",
        domain="[('parent_id', '=', partner_id)]",
        tracking=True,
    )
    certification_type_id = fields.Many2one(
        "partner.certification.type",
        string="Certification",
        required=True,
        tracking=True,
        ondelete="cascade",  # for the uninstall; users are stopped by the type's guard
    )
    date_obtained = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_expiry = fields.Date(
        string="Expiry Date",
        compute="_compute_date_expiry",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Empty: never expires.",
    )
    is_valid = fields.Boolean(
        string="Valid Today", compute="_compute_is_valid", search="_search_is_valid"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("date_obtained", "certification_type_id.validity_months")
    def _compute_date_expiry(self):
        for cert in self:
            months = cert.certification_type_id.validity_months
            cert.date_expiry = (
                cert.date_obtained + relativedelta(months=months)
                if cert.date_obtained and months
                else False
            )

    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for cert in self:
            cert.is_valid = cert.date_obtained <= today and (
                not cert.date_expiry or cert.date_expiry >= today
            )

    def _search_is_valid(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        domain = self._valid_on_domain(fields.Date.context_today(self))
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _valid_on_domain(self, day):
        return [
            ("date_obtained", "<=", day),
            "|",
            ("date_expiry", "=", False),
            ("date_expiry", ">=", day),
        ]

    @api.constrains("date_obtained", "date_expiry")
    def _check_dates(self):
        for cert in self:
            if cert.date_expiry and cert.date_expiry < cert.date_obtained:
                raise ValidationError(
                    self.env._(
                        "Expiry Date of %(cert)s is before the date it was obtained.",
                        cert=cert.certification_type_id.name,
                    )
                )

    @api.depends("certification_type_id", "consultant_id", "partner_id")
    def _compute_display_name(self):
        for cert in self:
            holder = cert.consultant_id.name or cert.partner_id.name
            cert.display_name = f"{cert.certification_type_id.name} - {holder}"
