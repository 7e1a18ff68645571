from odoo import api, fields, models

from ..core.matching import email_domain, normalise_name, normalise_vat

CUSTOMER_FIELDS = {"partner_name", "customer_vat", "email_from", "channel_partner_id", "partner_id"}


class CrmLead(models.Model):
    """Deal registration: which channel partner brought or owns the deal, and conflicts."""

    _inherit = "crm.lead"

    channel_partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        index=True,
        tracking=True,
        domain=[("is_channel_partner", "=", True)],
        help="The channel partner who registered or owns this deal.",
    )
    customer_vat = fields.Char(string="Customer Tax ID")
    registration_state = fields.Selection(
        [
            # "registered" is the submitted state (the value predates the workflow)
            ("registered", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        string="Registration Status",
        index=True,
        tracking=True,
        copy=False,
    )
    registration_date = fields.Datetime(readonly=True)
    customer_key_name = fields.Char(compute="_compute_customer_keys", store=True, index=True)
    customer_key_domain = fields.Char(compute="_compute_customer_keys", store=True, index=True)
    customer_key_vat = fields.Char(
        string="Customer Key Tax ID", compute="_compute_customer_keys", store=True, index=True
    )
    is_registration_conflict = fields.Boolean(
        string="Registration Conflict", readonly=True, index=True, copy=False
    )
    registration_conflict_ids = fields.Many2many(
        "crm.lead",
        "crm_lead_registration_conflict_rel",
        "lead_id",
        "other_id",
        string="Conflicting Deals",
        readonly=True,
        copy=False,
    )

    @api.depends("partner_name", "customer_vat", "email_from", "partner_id.vat", "partner_id.name")
    def _compute_customer_keys(self):
        for lead in self:
            company_name = lead.partner_name or lead.partner_id.commercial_partner_id.name
            lead.customer_key_name = normalise_name(company_name) or False
            lead.customer_key_domain = email_domain(lead.email_from) or False
            lead.customer_key_vat = (
                normalise_vat(lead.customer_vat or lead.partner_id.commercial_partner_id.vat)
                or False
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("registration_state") and not vals.get("registration_date"):
                vals["registration_date"] = fields.Datetime.now()
        leads = super().create(vals_list)
        leads.filtered("channel_partner_id")._update_registration_conflicts()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if CUSTOMER_FIELDS & set(vals):
            self.filtered("channel_partner_id")._update_registration_conflicts()
        return result

    def _update_registration_conflicts(self):
        """Flag deals whose customer matches an open deal of another channel partner."""
        for lead in self:
            keys = [
                (fname, value)
                for fname, value in (
                    ("customer_key_vat", lead.customer_key_vat),
                    ("customer_key_domain", lead.customer_key_domain),
                    ("customer_key_name", lead.customer_key_name),
                )
                if value
            ]
            if not keys:
                continue
            key_domain = ["|"] * (len(keys) - 1) + [(f, "=", v) for f, v in keys]
            others = self.sudo().search(
                [
                    ("id", "!=", lead.id),
                    ("channel_partner_id", "!=", False),
                    ("channel_partner_id", "!=", lead.channel_partner_id.id),
                    ("probability", "<", 100),
                    # a rejected or expired registration claims the customer no more
                    ("registration_state", "not in", ("rejected", "expired")),
                    *key_domain,
                ]
            )
            if set(others.ids) == set(lead.sudo().registration_conflict_ids.ids):
                continue
            lead.sudo().write(
                {
                    "is_registration_conflict": bool(others),
                    "registration_conflict_ids": [fields.Command.set(others.ids)],
                }
            )
            if others:
                lead.sudo().message_post(
                    body=self.env._(
                        "Possible registration conflict with %(deals)s (same customer company).",
                        deals=", ".join(others.mapped("display_name")),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
