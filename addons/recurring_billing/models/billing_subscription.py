import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..core import periods as period_core
from ..core.ledger import classify

_logger = logging.getLogger(__name__)

PERIODICITY = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]
STATES = [("draft", "Draft"), ("active", "Active"), ("paused", "Paused"), ("closed", "Closed")]
CLOSE_REASONS = [
    ("churned", "Customer left"),
    ("downgraded", "Replaced by a smaller subscription"),
    ("upgraded", "Replaced by a larger subscription"),
    ("non_payment", "Non-payment"),
    ("ended", "Term ended, not renewed"),
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
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

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
        tracking=True,
        help="First day not served while paused: the unused days already invoiced from it are "
        "credited and its MRR is zero until the resume date.",
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
    def _refresh_mrr(self, reference_date):
        """Recompute the stored MRR of the subscriptions whose dated change has come."""
        due = self.search(
            [("mrr_next_change", "!=", False), ("mrr_next_change", "<=", reference_date)]
        )
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

    # ---------------------------------------------------------------- lifecycle

    def action_activate(self):
        for subscription in self:
            if subscription.state != "draft":
                raise UserError(
                    self.env._(
                        "Subscription %(name)s is %(state)s: only a draft subscription can be "
                        "activated.",
                        name=subscription.name,
                        state=subscription.state,
                    )
                )
            if not subscription.line_ids:
                raise UserError(
                    self.env._(
                        "Subscription %(name)s has no line: add at least one line before "
                        "activating it.",
                        name=subscription.name,
                    )
                )
        self.write({"state": "active"})
        for subscription in self:
            subscription._sync_mrr_ledger(subscription.date_start)
        return True

    def action_pause(self, date=None):
        """Pause from ``date`` (the first day not served), see readme/USAGE.md: the days already
        invoiced from ``date`` are credited by the next run, the MRR falls to zero on ``date``."""
        date = date or fields.Date.context_today(self)
        paused = self.filtered(lambda s: s.state == "active")
        for subscription in paused:
            if date < subscription.date_start:
                raise UserError(
                    self.env._(
                        "Subscription %(name)s starts on %(start)s: pause it on or after that day.",
                        name=subscription.name,
                        start=subscription.date_start,
                    )
                )
        paused.write({"state": "paused", "pause_date": date})
        for subscription in paused:
            subscription._sync_mrr_ledger(date)
        return True

    def action_resume(self, date=None):
        """Resume on ``date``: the paused days are neither billed nor counted as MRR.

        What is due up to the pause (the days before it, the credit of the days invoiced after
        it) is invoiced first, by one run on ``date``, so that the high-water marks can then
        skip the paused days.
        """
        date = date or fields.Date.context_today(self)
        paused = self.filtered(lambda s: s.state == "paused")
        for subscription in paused:
            if date < subscription.pause_date:
                raise UserError(
                    self.env._(
                        "Subscription %(name)s is paused from %(pause)s: resume it on or after "
                        "that day.",
                        name=subscription.name,
                        pause=subscription.pause_date,
                    )
                )
        due = paused.filtered(lambda s: s.next_invoice_date and s.next_invoice_date <= date)
        if due:
            due._check_billing_manager()
            self.env["billing.run"].sudo()._run(date, subscription_ids=due.ids)
        for subscription in paused:
            before = subscription.pause_date - timedelta(days=1)
            unbilled = subscription.line_ids.filtered(
                lambda line, before=before: line.recurring
                and line.date_start <= before
                and (line._credit_pending() or line._high_water_mark() < line._own_end(before))
            )
            if unbilled:
                raise UserError(
                    self.env._(
                        "Subscription %(name)s could not be invoiced up to its pause "
                        "(%(error)s): fix it, invoice it, then resume it.",
                        name=subscription.name,
                        error=subscription.billing_error or "",
                    )
                )
        skip_to = date - timedelta(days=1)
        for line in paused.line_ids.filtered("recurring"):
            # the paused days count as invoiced, up to the line's own end
            mark = line._own_end(skip_to)
            if line.date_start <= skip_to and line._high_water_mark() < mark:
                line.last_date_invoiced = mark
        paused.write({"state": "active", "pause_date": False})
        for subscription in paused:
            subscription._sync_mrr_ledger(date)
        return True

    def action_close(self, date=None, reason="churned", note=False):
        """Close on ``date`` (the first day no longer served)."""
        date = date or fields.Date.context_today(self)
        for subscription in self:
            last_day = fields.Date.subtract(date, days=1)
            if last_day < subscription.date_start:
                last_day = subscription.date_start
            subscription.line_ids.filtered(
                lambda line, last_day=last_day: not line.date_end or line.date_end > last_day
            ).write({"date_end": last_day})
            subscription.write(
                {
                    "state": "closed",
                    "date_end": last_day,
                    "close_reason": reason,
                    "close_note": note,
                }
            )
            subscription._sync_mrr_ledger(date)
        return True

    def _cron_renew(self, reference_date=None):
        """Extend the end date of automatic renewals whose notice period has started."""
        reference_date = reference_date or fields.Date.context_today(self)
        due = self.search(
            [
                ("state", "=", "active"),
                ("renewal_type", "=", "auto"),
                ("date_end", "!=", False),
            ]
        ).filtered(
            lambda s: fields.Date.subtract(s.date_end, days=s.renewal_notice_days) <= reference_date
        )
        for subscription in due:
            new_end = period_core.add_months(subscription.date_end, subscription.renewal_term or 12)
            subscription.line_ids.filtered(
                lambda line, end=subscription.date_end: line.date_end == end
            ).write({"date_end": new_end})
            subscription.date_end = new_end
            subscription.message_post(
                body=self.env._("Renewed automatically until %(date)s.", date=new_end)
            )
        return due

    # ---------------------------------------------------------------- MRR ledger

    def _mrr_by_layer_at(self, date):
        """``{layer: mrr}`` this subscription brings on ``date`` according to its current lines."""
        self.ensure_one()
        result = defaultdict(float)
        if self.state == "draft" or (self.pause_date and self.pause_date <= date):
            return result
        for line in self.line_ids:
            if line._is_running(date):
                result[line.revenue_layer] += line.mrr
        return result

    def _sync_mrr_ledger(self, date):
        """Write the movements that bring the ledger in line with this subscription on ``date``.

        The ledger is the source of truth for MRR history; this compares what the subscription
        brings now with the sum of its movements so far, and classifies the difference on the
        customer (ChartMogul). Calling it twice writes nothing the second time.
        """
        self.ensure_one()
        Movement = self.env["billing.mrr.movement"].sudo()
        Movement.flush_model()
        # lock the customer's ledger so two concurrent changes classify on the same history
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (7_341_001, self.customer_key_id.id)
        )
        current = self._mrr_by_layer_at(date)
        booked = defaultdict(float)
        for layer, amount in Movement._read_group(
            [("subscription_id", "=", self.id), ("date", "<=", date)],
            ["revenue_layer"],
            ["amount:sum"],
        ):
            booked[layer] += amount
        currency = self.currency_id
        deltas = {
            layer: currency.round(current.get(layer, 0.0) - booked.get(layer, 0.0))
            for layer in sorted(set(current) | set(booked))
        }
        deltas = {layer: delta for layer, delta in deltas.items() if not currency.is_zero(delta)}
        if not deltas:
            return Movement
        customer_domain = [
            ("customer_id", "=", self.customer_key_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        customer_before = Movement._read_group(
            [*customer_domain, ("date", "<=", date)], [], ["amount:sum"]
        )[0][0]
        had_mrr = bool(Movement.search_count([*customer_domain, ("date", "<=", date)], limit=1))
        vals_list = [
            {
                "date": date,
                "subscription_id": self.id,
                "revenue_layer": layer,
                "movement_type": kind,
                "amount": amount,
            }
            for layer, kind, amount in classify(customer_before or 0.0, deltas, had_mrr)
        ]
        return Movement.create(vals_list)

    # ---------------------------------------------------------------- invoicing

    def _check_billing_manager(self):
        if not (self.env.su or self.env.user.has_group("recurring_billing.group_billing_manager")):
            raise AccessError(
                self.env._("Only billing managers can run invoicing or change invoiced periods.")
            )

    def action_invoice_now(self):
        """Invoice what is due today on the selected subscriptions (clears a previous error)."""
        self._check_billing_manager()
        run = (
            self.env["billing.run"]
            .sudo()
            ._run(fields.Date.context_today(self), subscription_ids=self.ids)
        )
        return run._action_open()

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def _get_invoice_journal(self, cache=None):
        """The sales journal of this subscription, checked against its currency.

        ``cache`` (a dict) lets a batch search each company's default sales journal once instead
        of once per subscription.
        """
        self.ensure_one()
        journal = self.journal_id
        if not journal:
            cache = {} if cache is None else cache
            key = ("journal", self.company_id.id)
            if key not in cache:
                cache[key] = self.env["account.journal"].search(
                    [
                        *self.env["account.journal"]._check_company_domain(self.company_id),
                        ("type", "=", "sale"),
                    ],
                    limit=1,
                )
            journal = cache[key]
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal: install a chart of accounts or "
                    "set a journal on subscription %(name)s.",
                    company=self.company_id.name,
                    name=self.name,
                )
            )
        journal_currency = journal.currency_id or journal.company_id.currency_id
        if journal_currency != self.currency_id:
            raise UserError(
                self.env._(
                    "Subscription %(name)s is in %(currency)s but journal %(journal)s invoices in "
                    "%(journal_currency)s: set a journal in the subscription's currency.",
                    name=self.name,
                    currency=self.currency_id.name,
                    journal=journal.display_name,
                    journal_currency=journal_currency.name,
                )
            )
        return journal

    def _collect_due_charges(self, reference_date):
        """``{period start: [(line, kind, start, end, ratio)]}`` of what is due on the date.

        Charges cover the periods after each line's high-water mark; a credit gives back days
        already invoiced beyond a line's new end date (a downgrade or a cancellation in the
        middle of a pre-paid period).
        """
        self.ensure_one()
        by_period = defaultdict(list)
        anchor = self.date_start
        for line in self.line_ids:
            for kind, start, end, ratio in line._due_items(reference_date):
                _index, p_start, _p_end = period_core.period_containing(
                    anchor, self.periodicity, start
                )
                by_period[p_start].append((line, kind, start, end, ratio))
        return dict(sorted(by_period.items()))

    def _invoice_due(self, reference_date, auto_post):
        """Invoice every due period of this subscription, oldest first; return the moves."""
        self.ensure_one()
        return self._create_due_invoices(
            [(self, self._prepare_due_invoices(reference_date))], auto_post
        )[self]

    def _invoice_accounting(self, cache):
        """Delivery address, fiscal position and payment terms of this subscription's invoices.

        These are the values ``account.move`` would compute for each invoice from the partner (the
        same Odoo methods are called); a batch resolves them once per partner and company through
        ``cache`` instead of once per invoice.
        """
        self.ensure_one()
        key = ("partner", self.company_id.id, self.partner_id.id)
        if key not in cache:
            partner = self.partner_id.with_company(self.company_id)
            shipping = partner.browse(partner.address_get(["delivery"])["delivery"])
            fiscal_position = (
                self.env["account.fiscal.position"]
                .with_company(self.company_id)
                ._get_fiscal_position(partner, delivery=shipping)
            )
            cache[key] = {
                "partner_shipping_id": shipping.id,
                "fiscal_position_id": fiscal_position.id,
                "invoice_payment_term_id": partner.property_payment_term_id.id,
            }
        return cache[key]

    def _prepare_due_invoices(self, reference_date, cache=None):
        """What invoicing this subscription on the date writes, without writing anything.

        Returns one dict per due period, oldest first: ``move`` (the ``account.move`` values),
        ``periods`` (the ``billing.invoice.period`` values, one per invoice line, keyed by
        subscription line) and ``marks`` (each line's new high-water mark). Raises a
        ``UserError`` when the subscription cannot be invoiced (journal, currency, income
        account), so a failure is known before anything is created. ``cache`` (a dict shared by
        a batch) keeps what is the same for many subscriptions: journals, fiscal positions,
        accounts and taxes.
        """
        self.ensure_one()
        charges = self._collect_due_charges(reference_date)
        if not charges:
            return []
        cache = {} if cache is None else cache
        journal = self._get_invoice_journal(cache)
        move_accounting = self._invoice_accounting(cache)
        fiscal_position = self.env["account.fiscal.position"].browse(
            move_accounting["fiscal_position_id"]
        )
        prepared = []
        for items in charges.values():
            vals_list = [
                line._prepare_invoice_line_vals(kind, start, end, ratio)
                for line, kind, start, end, ratio in items
            ]
            # a period whose credits outweigh its charges (a decrease in a period already
            # invoiced) is a credit note, never an invoice with a negative total
            net = sum(vals["price_unit"] * vals["quantity"] for vals in vals_list)
            refund = self.currency_id.compare_amounts(net, 0.0) < 0
            sign = -1 if refund else 1
            line_commands, periods, marks = [], [], {}
            for (line, kind, start, end, ratio), line_vals in zip(items, vals_list, strict=True):
                line_vals.update(line._invoice_line_accounting(fiscal_position, cache))
                # a refund carries the credited amounts as positive figures
                line_vals["price_unit"] *= sign
                line_commands.append(Command.create(line_vals))
                periods.append(
                    {
                        "line_id": line.id,
                        "kind": kind,
                        "period_start": start,
                        "period_end": end,
                        "ratio": ratio,
                    }
                )
                # after a credit the line is invoiced up to its end, not beyond
                marks[line] = end if kind == "charge" else line._end_limit()
            invoice_date = max(
                period_core.invoice_date_of(start, end, self.invoicing_mode == "prepaid")
                for _line, _kind, start, end, _ratio in items
            )
            prepared.append(
                {
                    "move": {
                        "move_type": "out_refund" if refund else "out_invoice",
                        "partner_id": self.partner_id.id,
                        "journal_id": journal.id,
                        "company_id": self.company_id.id,
                        "currency_id": self.currency_id.id,
                        "invoice_date": invoice_date,
                        "invoice_origin": self.name,
                        "billing_subscription_id": self.id,
                        **move_accounting,
                        "invoice_line_ids": line_commands,
                    },
                    "sign": sign,
                    "periods": periods,
                    "marks": marks,
                }
            )
        return prepared

    @api.model
    def _create_due_invoices(self, prepared, auto_post):
        """Create (and post) the invoices of several subscriptions in one batch.

        ``prepared`` is ``[(subscription, subscription._prepare_due_invoices(date))]``. The moves,
        their billed-period rows and the lines' high-water marks are written with one ``create``
        or ``write`` per model, so a batch of subscriptions costs what one batched
        ``account.move.create`` costs. Returns ``{subscription: moves}``.
        """
        todo = [(subscription, item) for subscription, items in prepared for item in items]
        moves = self.env["account.move"].create([item["move"] for _sub, item in todo])
        move_lines = {
            (move_line.move_id.id, move_line.billing_line_id.id): move_line
            for move_line in moves.invoice_line_ids
        }
        period_vals, marks = [], {}
        result = {subscription: self.env["account.move"] for subscription, _items in prepared}
        for (subscription, item), move in zip(todo, moves, strict=True):
            result[subscription] |= move
            for vals in item["periods"]:
                move_line = move_lines[move.id, vals["line_id"]]
                period_vals.append(
                    dict(
                        vals,
                        move_id=move.id,
                        move_line_id=move_line.id,
                        amount=item["sign"] * move_line.price_subtotal,
                    )
                )
            for line, mark in item["marks"].items():
                # a backlog bills several periods of a line: the latest one is the mark
                marks[line] = max(mark, marks.get(line, mark))
        self.env["billing.invoice.period"].create(period_vals)
        by_mark = defaultdict(lambda: self.env["billing.subscription.line"])
        for line, mark in marks.items():
            by_mark[mark] |= line
        for mark, lines in by_mark.items():
            lines.write({"last_date_invoiced": mark})
        if auto_post and moves:
            moves.action_post()
        return result
