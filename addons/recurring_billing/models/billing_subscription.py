from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PERIODICITY = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]
STATES = [("draft", "Draft"), ("active", "Active"), ("paused", "Paused"), ("closed", "Closed")]
CLOSE_REASONS = [
    ("churned", "Customer left"),
    ("downgraded", "Replaced by a smaller subscription"),
    ("upgraded", "Replaced by a larger subscription"),
    ("non_payment", "Non-payment"),
    ("ended", "Term ended, not renewed"),
    ("decommissioned", "Tenant decommissioned"),
    ("other", "Other"),
]


class BillingSubscription(models.Model):
    """A recurring agreement with a channel partner, billed wholesale every period.

    The partner is who is invoiced; the end customer (owned by the partner) is who the revenue
    movements are classified on, so that one end customer leaving is churn even when the partner
    keeps other customers.
    """

    _name = "billing.subscription"
    _description = "Billing Subscription"
    _inherit = ["channel.workflow.guard", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # the lifecycle moves only through the actions, the failure bookkeeping and the stored
    # figures only through invoicing and their computations (channel.workflow.guard, every
    # caller): a subscription is never activated without lines nor unpaused without its credit
    _workflow_fields = (
        "state",
        "pause_date",
        "next_invoice_date",
        "mrr",
        "arr",
        "mrr_next_change",
        "customer_key_id",
        "billing_error",
        "billing_error_date",
        "billing_failed_on",
        "billing_failure_count",
        "billing_stuck",
        "paused_tenant_id",
    )
    _workflow_actions = {
        "state": "Activate, Pause, Resume or Close",
        "pause_date": "Pause or Resume",
        "paused_tenant_id": "Suspend or Resume on the tenant",
        "billing_error": "Invoice Now",
        "billing_failed_on": "Invoice Now",
        "billing_stuck": "Invoice Now",
    }

    name = fields.Char(string="Reference", required=True, copy=False, default="/", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The partner invoiced by the platform (wholesale).",
    )
    end_customer_id = fields.Many2one(
        "res.partner",
        string="End Customer",
        index=True,
        tracking=True,
        help="The partner's own customer served by this subscription (the partner owns it).",
    )
    end_customer_name = fields.Char(
        related="end_customer_id.display_name", string="End Customer Name"
    )
    customer_key_id = fields.Many2one(
        "res.partner",
        string="Revenue Customer",
        compute="_compute_customer_key_id",
        store=True,
        index=True,
        help="Who MRR movements are classified on: the end customer, or the partner without one.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    tenant_id = fields.Many2one(
        "tenant.tenant",
        string="Tenant",
        index=True,
        tracking=True,
        help="The white-label tenant this subscription serves (optional).",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Sales Journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Journal of the invoices; the company's first sales journal when empty.",
    )
    periodicity = fields.Selection(
        PERIODICITY, string="Billing Period", required=True, default="monthly", tracking=True
    )
    invoicing_mode = fields.Selection(
        [("prepaid", "Pre-paid (start of period)"), ("postpaid", "Post-paid (end of period)")],
        required=True,
        default="prepaid",
        tracking=True,
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="End Date", tracking=True, help="Last day served (inclusive).")
    renewal_type = fields.Selection(
        [("auto", "Automatic"), ("manual", "Manual")],
        required=True,
        default="auto",
        tracking=True,
    )
    renewal_term = fields.Integer(
        string="Renewal Term (months)", default=12, help="Length of each renewal of the end date."
    )
    renewal_notice_days = fields.Integer(
        string="Notice Period (days)",
        default=30,
        help="A cancellation must be given this many days before the end date, else it renews.",
    )
    state = fields.Selection(
        STATES, required=True, default="draft", index=True, tracking=True, copy=False
    )
    pause_date = fields.Date(
        copy=False,
        readonly=True,
        tracking=True,
        help="First day not served while paused: the unused days already invoiced from it are "
        "credited and its MRR is zero until the resume date.",
    )
    paused_tenant_id = fields.Many2one(
        "tenant.tenant",
        string="Paused With Tenant",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The tenant whose suspension paused this subscription: resuming the tenant resumes "
        "it (a pause decided in billing is never lifted by the tenant).",
    )
    close_reason = fields.Selection(CLOSE_REASONS, tracking=True, copy=False)
    close_note = fields.Text(copy=False)
    line_ids = fields.One2many(
        "billing.subscription.line", "subscription_id", string="Lines", copy=True
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
        help="Invoice date of the earliest period not invoiced yet on any line.",
    )
    mrr = fields.Monetary(
        string="MRR",
        compute="_compute_mrr",
        store=True,
        help="Monthly recurring revenue today: recurring lines, wholesale, normalised to a month.",
    )
    arr = fields.Monetary(string="ARR", compute="_compute_mrr", store=True)
    mrr_next_change = fields.Date(
        string="MRR Changes On",
        compute="_compute_mrr",
        store=True,
        index="btree_not_null",
        help="Next day a dated change (a line starting or ending, a pause, an end) changes the "
        "MRR: the daily billing run recomputes it on that day.",
    )
    period_ids = fields.One2many(
        "billing.invoice.period", "subscription_id", string="Billed Periods"
    )
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_invoice_ids", string="Invoices"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")

    @api.depends("end_customer_id", "partner_id")
    def _compute_customer_key_id(self):
        for subscription in self:
            customer = subscription.end_customer_id or subscription.partner_id
            subscription.customer_key_id = customer.commercial_partner_id

    @api.depends(
        "state",
        "date_end",
        "pause_date",
        "line_ids.last_date_invoiced",
        "line_ids.date_start",
        "line_ids.date_end",
        "periodicity",
        "invoicing_mode",
        "date_start",
    )
    def _compute_next_invoice_date(self):
        for subscription in self:
            dates = [date for line in subscription.line_ids if (date := line._next_invoice_date())]
            subscription.next_invoice_date = (
                min(dates)
                if dates and subscription.state in ("active", "paused", "closed")
                else False
            )

    @api.depends(
        "state",
        "pause_date",
        "line_ids.mrr",
        "line_ids.date_start",
        "line_ids.date_end",
    )
    def _compute_mrr(self):
        """MRR on the day of the computation (``mrr_date`` in the context, else today); the
        next dated change is stored so that the billing run recomputes it on that day."""
        day = self.env.context.get("mrr_date") or fields.Date.context_today(self)
        day = fields.Date.to_date(day)
        for subscription in self:
            mrr = sum(subscription._mrr_by_layer_at(day).values())
            subscription.mrr = mrr
            subscription.arr = mrr * 12
            changes = [
                change
                for line in subscription.line_ids
                for change in (
                    line.date_start,
                    line.date_end and line.date_end + timedelta(days=1),
                )
                if change and change > day
            ]
            if subscription.pause_date and subscription.pause_date > day:
                changes.append(subscription.pause_date)
            subscription.mrr_next_change = (
                min(changes) if changes and subscription.state != "draft" else False
            )

    @api.model
    def _refresh_mrr(self, reference_date, slice_index=0):
        """Recompute the stored MRR of the subscriptions whose dated change has come (of one
        parallel slice: two slices never write the same subscription)."""
        due = self.search(
            [("mrr_next_change", "!=", False), ("mrr_next_change", "<=", reference_date)]
        )
        part = self.env["ir.cron"]._channel_slice(slice_index)
        due = due.filtered(lambda subscription: part.holds(subscription.id))
        if due:
            due = due.with_context(mrr_date=reference_date)
            self.env.add_to_compute(self._fields["mrr"], due)
            due.flush_recordset(["mrr", "arr", "mrr_next_change"])
        return due

    @api.depends("period_ids.move_id")
    def _compute_invoice_ids(self):
        for subscription in self:
            moves = subscription.period_ids.move_id
            subscription.invoice_ids = moves
            subscription.invoice_count = len(moves)

    # ---------------------------------------------------------------- constraints

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for subscription in self:
            if subscription.date_end and subscription.date_end < subscription.date_start:
                raise ValidationError(
                    self.env._(
                        "Subscription %(name)s: the end date (%(end)s) is before the start date "
                        "(%(start)s). Set an end date on or after the start date.",
                        name=subscription.name,
                        end=subscription.date_end,
                        start=subscription.date_start,
                    )
                )

    @api.constrains("periodicity", "invoicing_mode", "date_start")
    def _check_billed_schedule(self):
        """Billed periods are anchored on the schedule: changing it afterwards would leave a gap
        or bill days twice."""
        for subscription in self:
            if subscription.period_ids.filtered(lambda p: p.kind == "charge"):
                raise ValidationError(
                    self.env._(
                        "Subscription %(name)s already has invoiced periods: its billing period, "
                        "invoicing mode and start date can no longer change (it would leave a gap "
                        "or an overlap). Close it and start a new subscription from the day after "
                        "its last invoiced period instead.",
                        name=subscription.name,
                    )
                )

    @api.constrains("tenant_id", "partner_id")
    def _check_tenant_partner(self):
        for subscription in self.filtered("tenant_id"):
            tenant_partner = subscription.tenant_id.partner_id.commercial_partner_id
            if tenant_partner != subscription.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Tenant %(tenant)s belongs to %(owner)s, not to %(partner)s: pick one of "
                        "%(partner)s's tenants or change the channel partner.",
                        tenant=subscription.tenant_id.display_name,
                        owner=tenant_partner.display_name,
                        partner=subscription.partner_id.display_name,
                    )
                )

    @api.constrains("journal_id", "currency_id", "company_id")
    def _check_journal_currency(self):
        for subscription in self:
            journal = subscription.journal_id
            if journal and (journal.currency_id or journal.company_id.currency_id) != (
                subscription.currency_id
            ):
                raise ValidationError(
                    self.env._(
                        "Subscription %(name)s is in %(currency)s but its sales journal "
                        "%(journal)s invoices in %(journal_currency)s. Pick a journal in "
                        "%(currency)s or change the subscription's currency.",
                        name=subscription.name,
                        currency=subscription.currency_id.name,
                        journal=journal.display_name,
                        journal_currency=(
                            journal.currency_id or journal.company_id.currency_id
                        ).name,
                    )
                )

    # ---------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("billing.subscription") or "/"
        return super().create(vals_list)
