import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# whole values only (used with fullmatch: a trailing newline is refused, as `$` would allow it)
DOMAIN_RE = re.compile(r"(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


class TenantBranding(models.Model):
    """A partner's brand, applied to the environments it resells (white label)."""

    _name = "tenant.branding"
    _description = "Partner Branding"
    _inherit = ["mail.thread"]
    _order = "partner_id, id"
    _rec_name = "brand_name"

    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    is_partner_default = fields.Boolean(
        string="Partner Default",
        default=True,
        help="Used by every tenant of the partner that does not override its branding.",
    )
    brand_name = fields.Char(required=True, tracking=True)
    logo = fields.Image(max_width=512, max_height=512)
    primary_color = fields.Char(default="#1f3b57", help="Hexadecimal colour, e.g. #1f3b57.")
    secondary_color = fields.Char(default="#e8eef5", help="Hexadecimal colour, e.g. #e8eef5.")
    support_email = fields.Char(tracking=True)
    support_phone = fields.Char()
    custom_domain = fields.Char(help="Domain the partner's customers reach, e.g. erp.brand.com.")
    status_page_published = fields.Boolean(
        string="Public Status Page",
        help="Opt-in: publish a status page of this partner's environments, without customer names.",
    )
    status_page_slug = fields.Char(help="Address of the status page: /status/<slug>.")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True, default=lambda s: s.env.company
    )

    _sql_constraints = [
        (
            "status_page_slug_uniq",
            "unique (status_page_slug)",
            "This status page address is taken.",
        ),
    ]

    @api.constrains("custom_domain", "primary_color", "secondary_color", "support_email")
    def _check_formats(self):
        for brand in self:
            if brand.custom_domain and not DOMAIN_RE.fullmatch(brand.custom_domain):
                raise ValidationError(
                    self.env._(
                        "Custom Domain %(domain)s is not a valid domain name: use lower-case "
                        "labels separated by dots, without scheme or path (e.g. erp.brand.com).",
                        domain=brand.custom_domain,
                    )
                )
            for label, color in (
                (self.env._("Primary Color"), brand.primary_color),
                (self.env._("Secondary Color"), brand.secondary_color),
            ):
                if color and not COLOR_RE.fullmatch(color):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a hexadecimal colour such as #1f3b57, not %(value)s.",
                            field=label,
                            value=color,
                        )
                    )
            if brand.support_email and not EMAIL_RE.fullmatch(brand.support_email):
                raise ValidationError(
                    self.env._(
                        "Support Email %(email)s is not an e-mail address.",
                        email=brand.support_email,
                    )
                )

    @api.constrains("status_page_published", "status_page_slug")
    def _check_status_page(self):
        for brand in self:
            if brand.status_page_published and not SLUG_RE.fullmatch(brand.status_page_slug or ""):
                raise ValidationError(
                    self.env._(
                        "A public status page needs a Status Page Slug of lower-case letters, "
                        "digits and dashes (e.g. acme-cloud)."
                    )
                )

    @api.constrains("partner_id", "is_partner_default", "company_id")
    def _check_one_default(self):
        for brand in self.filtered("is_partner_default"):
            if (
                self.search_count(
                    [
                        ("partner_id", "=", brand.partner_id.id),
                        ("company_id", "=", brand.company_id.id),
                        ("is_partner_default", "=", True),
                    ]
                )
                > 1
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s already has a default branding: untick Partner Default on "
                        "one of them.",
                        partner=brand.partner_id.display_name,
                    )
                )

    def _get_branding_values(self):
        self.ensure_one()
        return {
            "brand_name": self.brand_name,
            "support_email": self.support_email,
            "support_phone": self.support_phone,
            "primary_color": self.primary_color,
            "secondary_color": self.secondary_color,
            "custom_domain": self.custom_domain,
            "logo": self.logo or False,
        }
