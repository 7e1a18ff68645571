from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..core import periods as period_core


class BillingSubscription(models.Model):
    """Invoicing of a subscription: what is due on a date, prepared without writing, then
    written for a whole batch at once (``billing.run`` drives it)."""

    _inherit = "billing.subscription"

    def _check_billing_manager(self):
        """The one access check of invoicing (``channel.workflow.guard._workflow_check_group``)."""
        self._workflow_check_group(
            "recurring_billing.group_billing_manager",
            self.env._("run invoicing or change invoiced periods"),
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
        ``cache`` instead of once per invoice. A partner without payment terms gets the company's
        default subscription terms (``billing_payment_term_id``); with neither, ``False``: the
        invoice is then due on its invoice date (see ``_prepare_due_invoices``).
        """
        self.ensure_one()
        key = ("partner", self.company_id.id, self.partner_id.id)
        if key not in cache:
            partner = self.partner_id.with_company(self.company_id)
            # browsed with the batch's partners, so their fiscal fields are read in one query
            shipping = partner.browse(partner.address_get(["delivery"])["delivery"]).with_prefetch(
                partner._prefetch_ids
            )
            fiscal_position = (
                self.env["account.fiscal.position"]
                .with_company(self.company_id)
                ._get_fiscal_position(partner, delivery=shipping)
            )
            cache[key] = {
                "partner_shipping_id": shipping.id,
                "fiscal_position_id": fiscal_position.id,
                "invoice_payment_term_id": (
                    partner.property_payment_term_id or self.company_id.billing_payment_term_id
                ).id,
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
            move_vals = {
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
            }
            if not move_accounting["invoice_payment_term_id"]:
                # without terms Odoo makes an invoice due the day it is created: a late run
                # would push the due date of the period's invoice to the day of the run
                move_vals["invoice_date_due"] = invoice_date
            prepared.append(
                {
                    "move": move_vals,
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
        self.env["billing.invoice.period"]._workflow_create(period_vals)
        by_mark = defaultdict(lambda: self.env["billing.subscription.line"])
        for line, mark in marks.items():
            by_mark[mark] |= line
        for mark, lines in by_mark.items():
            lines._workflow_write({"last_date_invoiced": mark})
        if auto_post and moves:
            moves.action_post()
        return result
