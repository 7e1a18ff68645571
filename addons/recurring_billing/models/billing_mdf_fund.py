from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import mdf as mdf_core
from ..core import tier_discount as tier_core


class BillingMdfFund(models.Model):
    """A partner's marketing development funds (MDF) for one calendar quarter or year.

    The budget is the MDF amount of the tier the partner held on the period's first day (or, for
    a partner that joined during the period, the tier it joined with), frozen when the fund opens:
    a later tier change never rewrites it. Claims consume it (``core.mdf``).
    """

    _name = "billing.mdf.fund"
    _description = "Marketing Development Fund"
    _inherit = ["channel.workflow.guard", "mail.thread"]
    _order = "date_start desc, partner_id"
    _check_company_auto = True
    # what the fund is for and its budget are fixed when it opens (_open_fund)
    _workflow_frozen_fields = (
        "partner_id",
        "company_id",
        "tier_id",
        "periodicity",
        "date_start",
        "date_end",
        "budget",
    )

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one("partner.tier", string="Tier", readonly=True)
    periodicity = fields.Selection(
        [("quarter", "Quarter"), ("year", "Year")], required=True, default="year"
    )
    date_start = fields.Date(string="From", required=True, index=True)
    date_end = fields.Date(string="To", required=True)
    budget = fields.Monetary(currency_field="currency_id")
    claim_ids = fields.One2many("billing.mdf.claim", "fund_id", string="Claims")
    consumed = fields.Monetary(
        compute="_compute_consumption",
        store=True,
        currency_field="currency_id",
        help="Approved and paid claims.",
    )
    reserved = fields.Monetary(
        compute="_compute_consumption",
        store=True,
        currency_field="currency_id",
        help="Submitted claims waiting for their decision.",
    )
    remaining = fields.Monetary(
        compute="_compute_consumption",
        store=True,
        currency_field="currency_id",
        help="Budget left for new claims: budget - consumed - reserved.",
    )
    claim_count = fields.Integer(compute="_compute_consumption", store=True)

    _sql_constraints = [
        (
            "partner_period_unique",
            "unique(partner_id, company_id, date_start)",
            "A partner has one MDF fund per period.",
        ),
        ("dates_check", "CHECK(date_end >= date_start)", "A fund ends after it starts."),
        ("budget_positive", "CHECK(budget >= 0)", "A fund's budget cannot be negative."),
    ]

    @api.depends("partner_id.name", "date_start", "date_end")
    def _compute_name(self):
        for fund in self:
            fund.name = self.env._(
                "MDF %(partner)s %(start)s - %(end)s",
                partner=fund.partner_id.name or "",
                start=fund.date_start or "",
                end=fund.date_end or "",
            )

    @api.depends("budget", "claim_ids.state", "claim_ids.amount")
    def _compute_consumption(self):
        for fund in self:
            claims = [(claim.state, claim.amount) for claim in fund.claim_ids]
            fund.consumed, fund.reserved = mdf_core.consumption(claims)
            fund.remaining = mdf_core.remaining(fund.budget, claims)
            fund.claim_count = len(fund.claim_ids)

    @api.model
    def _membership_of(self, partner, company):
        memberships = partner.commercial_partner_id.sudo().channel_membership_ids.filtered(
            lambda membership: membership.state != "ended"
        )
        return memberships.filtered(lambda m: m.company_id == company)[:1] or memberships[:1]

    @api.model
    def _tier_for_period(self, membership, date_start):
        """The tier in force on ``date_start`` (``core.tier_discount.tier_at``), else the tier
        the partner holds now (it joined during the period)."""
        changes = [
            (
                fields.Datetime.to_datetime(change.date).date(),
                change.old_tier_id.id or None,
                change.new_tier_id.id or None,
            )
            for change in membership.tier_history_ids
        ]
        tier_id = tier_core.tier_at(changes, date_start)
        return self.env["partner.tier"].browse(tier_id) if tier_id else membership.tier_id

    @api.model
    def _open_fund(self, partner, company, day):
        """The partner's fund for the period containing ``day``, opened if missing.

        Raises a ``UserError`` when the partner has no program membership or its tier grants no
        MDF budget. Safe when two claims open the same fund at once (the unique constraint
        decides, the loser reads the winner's fund).
        """
        partner = partner.commercial_partner_id
        Fund = self.sudo()
        membership = self._membership_of(partner, company)
        if not membership or not membership.tier_id:
            raise UserError(
                self.env._(
                    "%(partner)s has no tier in the partner program, so no marketing "
                    "development funds: place it in a tier first.",
                    partner=partner.name,
                )
            )
        periodicity = membership.tier_id.mdf_periodicity or "year"
        date_start, date_end = mdf_core.fund_period(day, periodicity)
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("date_start", "<=", day),
            ("date_end", ">=", day),
        ]
        fund = Fund.search(domain, limit=1)
        if fund:
            return fund
        tier = self._tier_for_period(membership, date_start)
        if not tier.mdf_amount:
            raise UserError(
                self.env._(
                    "Tier %(tier)s grants no marketing development funds (MDF Budget is 0): "
                    "%(partner)s cannot claim any for %(start)s - %(end)s.",
                    tier=tier.name,
                    partner=partner.name,
                    start=date_start,
                    end=date_end,
                )
            )
        try:
            with self.env.cr.savepoint():
                fund = Fund.create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "tier_id": tier.id,
                        "periodicity": periodicity,
                        "date_start": date_start,
                        "date_end": date_end,
                        "budget": tier.currency_id._convert(
                            tier.mdf_amount, company.currency_id, company, date_start
                        ),
                    }
                )
        except IntegrityError:
            fund = Fund.search(domain, limit=1)
        return fund

    def _lock(self):
        """Hold these funds' rows until the transaction ends (two claims never both take the
        last of a budget)."""
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM billing_mdf_fund WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
            )
        self.invalidate_recordset(["claim_ids", "consumed", "reserved", "remaining"])

    def action_open_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.billing_mdf_claim_action"
        )
        action["domain"] = [("fund_id", "=", self.id)]
        action["context"] = {"default_fund_id": self.id, "default_partner_id": self.partner_id.id}
        return action
