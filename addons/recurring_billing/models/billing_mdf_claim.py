from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core import mdf as mdf_core

CLAIM_STATES = [
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("paid", "Paid"),
    ("rejected", "Rejected"),
]
PAYMENT_METHODS = [
    ("vendor_bill", "Vendor Bill (we pay the partner)"),
    ("credit_note", "Credit Note (on the partner's wholesale account)"),
]


class BillingMdfClaim(models.Model):
    """A partner's claim on its marketing development funds: an activity, an amount, evidence.

    Submitted (from the portal or by channel staff), it reserves its amount on the fund and
    opens its governance gate (``recurring_billing.gate_template_mdf_claim``: evidence attached,
    within the budget, a Channel Manager's approval). *Approve* moves it to Approved through the
    gate (fail closed) and pays it at once by a posted vendor bill to the partner or a credit note
    on its wholesale account, as chosen on the claim; *Reject* gives the budget back, with a
    reason.
    """

    _name = "billing.mdf.claim"
    _description = "MDF Claim"
    _inherit = [
        "channel.workflow.guard",
        "governance.gate.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _workflow_fields = (
        "state",
        "move_id",
        "submitted_by_id",
        "submitted_on",
        "decided_by_id",
        "decided_on",
        "reject_reason",
    )
    # what is claimed is fixed once submitted: a wrong claim is rejected and submitted again
    _workflow_frozen_fields = ("partner_id", "fund_id", "amount")
    _workflow_actions = {
        "state": "Approve or Reject",
        "move_id": "Approve",
        "reject_reason": "Reject",
    }
    _gate_stage_field = "state"
    _gate_guarded_stages = ["approved"]

    name = fields.Char(string="Activity", required=True, tracking=True)
    description = fields.Text()
    activity_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="Day of the marketing activity: its fund is the partner's fund of that period.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    fund_id = fields.Many2one(
        "billing.mdf.fund", string="Fund", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="fund_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="fund_id.currency_id")
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    payment_method = fields.Selection(
        PAYMENT_METHODS, required=True, default="vendor_bill", tracking=True
    )
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "billing_mdf_claim_evidence_rel",
        "claim_id",
        "attachment_id",
        string="Evidence",
        help="Invoices, photos, reports proving the activity took place.",
    )
    evidence_count = fields.Integer(compute="_compute_evidence_count")
    state = fields.Selection(
        CLAIM_STATES, default="submitted", required=True, index=True, tracking=True, copy=False
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, copy=False)
    decided_on = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(readonly=True, copy=False, tracking=True)
    move_id = fields.Many2one(
        "account.move", string="Payment", readonly=True, copy=False, index="btree_not_null"
    )
    move_state = fields.Selection(related="move_id.state", string="Payment Status")

    @api.depends("evidence_ids")
    def _compute_evidence_count(self):
        for claim in self:
            claim.evidence_count = len(claim.evidence_ids)

    @api.constrains("partner_id", "fund_id")
    def _check_fund_partner(self):
        for claim in self:
            if claim.fund_id.partner_id != claim.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Fund: the claim of %(partner)s must draw on its own fund, not on "
                        "%(fund)s.",
                        partner=claim.partner_id.name,
                        fund=claim.fund_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Submit claims: each opens (or finds) its partner's fund of the activity's period and
        must fit in what remains of it (the fund's row is locked meanwhile)."""
        Fund = self.env["billing.mdf.fund"]
        for index, vals in enumerate(vals_list):
            if not vals.get("partner_id"):
                raise UserError(self.env._("Channel Partner: choose who claims the funds."))
            partner = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            vals["partner_id"] = partner.id
            if not vals.get("fund_id"):
                day = fields.Date.to_date(
                    vals.get("activity_date") or fields.Date.context_today(self)
                )
                vals["fund_id"] = Fund._open_fund(partner, self.env.company, day).id
            fund = Fund.browse(vals["fund_id"]).sudo()
            fund._lock()
            pending = vals_list[:index]
            claims = [(claim.state, claim.amount) for claim in fund.claim_ids] + [
                ("submitted", other.get("amount") or 0.0)
                for other in pending
                if other.get("fund_id") == fund.id
            ]
            amount = vals.get("amount")
            problem = mdf_core.claim_problem(amount, fund.budget, claims, fund.currency_id.rounding)
            if problem == "amount":
                raise UserError(self.env._("Amount: a claim must be above zero."))
            if problem == "budget":
                raise UserError(
                    self.env._(
                        "Amount: %(amount)s is more than what remains of %(fund)s "
                        "(%(remaining)s of %(budget)s): claim at most the remaining budget.",
                        amount=amount,
                        fund=fund.name,
                        remaining=round(mdf_core.remaining(fund.budget, claims), 2),
                        budget=fund.budget,
                    )
                )
        vals_list = [
            dict(
                vals,
                state="submitted",
                submitted_by_id=self.env.user.id,
                submitted_on=fields.Datetime.now(),
            )
            for vals in vals_list
        ]
        return (
            super(BillingMdfClaim, self._workflow_bypass_env()).create(vals_list).with_env(self.env)
        )

    # --- gate criteria (governance_gates) ---------------------------------------------
    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks.update(
            mdf_evidence=self.env._("Evidence of the activity is attached"),
            mdf_within_budget=self.env._("The claim fits in the fund's budget"),
        )
        return checks

    def _gate_check_mdf_evidence(self):
        self.ensure_one()
        return bool(self.evidence_ids)

    def _gate_check_mdf_within_budget(self):
        self.ensure_one()
        fund = self.fund_id.sudo()
        return fund.currency_id.compare_amounts(fund.remaining, 0.0) >= 0

    # --- actions ---------------------------------------------------------------------------
    def _check_submitted(self):
        for claim in self:
            if claim.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(claim)s is already %(state)s: only a submitted claim is decided.",
                        claim=claim.name,
                        state=dict(CLAIM_STATES)[claim.state],
                    )
                )

    def action_approve(self):
        """Approve through the gate (its evidence, budget and approval must pass), then pay."""
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("approve an MDF claim")
        )
        self._check_submitted()
        for claim in self:
            claim.sudo()._workflow_write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.user.id,
                    "decided_on": fields.Datetime.now(),
                }
            )
            claim._pay()
        return True

    def action_reject(self, reason=None):
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("reject an MDF claim")
        )
        if not reason or not str(reason).strip():
            raise UserError(self.env._("Reason: say why the claim is rejected."))
        self._check_submitted()
        # the claim's open gate is closed with it (killed), so nothing re-checks it any more
        self.gate_ids.filtered(lambda gate: gate.state == "open").sudo()._gate_decide(
            "kill", note=reason.strip()
        )
        self._reject(reason.strip())
        return True

    def _reject(self, reason):
        self.sudo()._workflow_write(
            {
                "state": "rejected",
                "reject_reason": reason,
                "decided_by_id": self.env.user.id,
                "decided_on": fields.Datetime.now(),
            }
        )
        for claim in self:
            claim.message_post(
                body=self.env._("Claim rejected: %(reason)s", reason=reason),
                partner_ids=claim.partner_id.ids,
            )

    # --- the gate's own decisions (Go / Kill on the gate form) -------------------------------
    def _gate_write(self, vals):
        """*Go* on the claim's gate approves it like *Approve and Pay*: the gate passed (its
        Channel Manager approval included), so the claim is paid at once."""
        result = super()._gate_write(vals)
        if vals.get("state") == "approved":
            for claim in self.filtered(lambda c: c.state == "approved" and not c.move_id):
                claim.sudo()._workflow_write(
                    {"decided_by_id": self.env.user.id, "decided_on": fields.Datetime.now()}
                )
                claim._pay()
        return result

    def _gate_kill(self):
        """*Kill* on the claim's gate rejects it."""
        self.filtered(lambda c: c.state == "submitted")._reject(
            self.env._("Killed at its governance gate.")
        )

    def action_open_reject_wizard(self):
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager", self.env._("reject an MDF claim")
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Claim"),
            "res_model": "billing.mdf.claim.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_ids": self.ids},
        }

    def action_view_payment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    def _payment_journal(self):
        self.ensure_one()
        journal_type = "purchase" if self.payment_method == "vendor_bill" else "sale"
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    *self.env["account.journal"]._check_company_domain(self.company_id),
                    ("type", "=", journal_type),
                ],
                limit=1,
            )
        )
        if not journal or not journal.default_account_id:
            raise UserError(
                self.env._(
                    "Company %(company)s has no %(type)s journal with a default account: "
                    "install a chart of accounts or set the journal's default account to pay "
                    "claim %(claim)s.",
                    company=self.company_id.name,
                    type=journal_type,
                    claim=self.name,
                )
            )
        return journal

    def _pay(self):
        """The posted vendor bill (``in_invoice``) or credit note (``out_refund``) paying this
        approved claim, linked to it; the claim is then Paid."""
        self.ensure_one()
        journal = self._payment_journal()
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "in_invoice"
                    if self.payment_method == "vendor_bill"
                    else "out_refund",
                    "partner_id": self.partner_id.id,
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "currency_id": self.currency_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "ref": self.env._("MDF claim: %s", self.name),
                    "invoice_origin": self.fund_id.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._("Marketing development funds: %s", self.name),
                                "quantity": 1.0,
                                "price_unit": self.amount,
                                "account_id": journal.default_account_id.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        self.sudo()._workflow_write({"state": "paid", "move_id": move.id})
        self.message_post(
            body=self.env._(
                "Claim approved and paid by %(move)s.", move=move.name or move.display_name
            ),
            partner_ids=self.partner_id.ids,
        )
        return move
