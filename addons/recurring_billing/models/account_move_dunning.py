import logging

from markupsafe import Markup

from odoo import api, fields, models

from ..core import dunning as dunning_core

_logger = logging.getLogger(__name__)

PENDING_TX_STATES = ("pending", "authorized")
PAID_STATES = ("paid", "in_payment")


class AccountMove(models.Model):
    """Dunning of overdue wholesale invoices (those a subscription bills).

    ``_run_dunning(day)`` moves each open overdue invoice to the level of its company's policy it
    has reached (``core.dunning.next_level``) and gives the partner that level's notice. At a
    level that suspends, the tenants the invoice bills are suspended through the provisioning
    backend (``tenant.tenant.action_suspend``) and recorded on the invoice; a pending payment
    transaction or an open dispute holds the invoice at the level before. When the invoice is
    paid in full (the reconciliation's ``_invoice_paid_hook``, or the next run if that resume
    failed), the tenants its suspension recorded are resumed.
    """

    _name = "account.move"
    _inherit = ["account.move", "channel.workflow.guard"]
    _workflow_fields = (
        "billing_dunning_level_id",
        "billing_dunning_date",
        "billing_dunning_held",
        "billing_dispute",
        "billing_dispute_reason",
        "billing_dispute_by_id",
        "billing_dispute_at",
        "billing_dispute_cleared_by_id",
        "billing_dispute_cleared_at",
        "billing_suspended_tenant_ids",
        "billing_suspended_at",
        "billing_resumed_at",
        "billing_dunning_checked_on",
    )

    billing_dunning_level_id = fields.Many2one(
        "billing.dunning.level",
        string="Dunning Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    billing_dunning_date = fields.Date(string="Dunned On", readonly=True, copy=False)
    billing_dunning_checked_on = fields.Date(
        string="Dunning Checked On",
        readonly=True,
        copy=False,
        help="The last day the scheduled dunning looked at this invoice (once a day).",
    )
    billing_dunning_held = fields.Char(
        string="Suspension Held",
        readonly=True,
        copy=False,
        help="Why the last run could not apply a level: a payment pending or a dispute open "
        "(the suspension waits), or the error a suspension met.",
    )
    billing_dispute = fields.Boolean(string="Disputed", readonly=True, copy=False, tracking=True)
    billing_dispute_reason = fields.Text(string="Dispute Reason", readonly=True, copy=False)
    billing_dispute_by_id = fields.Many2one(
        "res.users", string="Disputed By", readonly=True, copy=False
    )
    billing_dispute_at = fields.Datetime(string="Disputed On", readonly=True, copy=False)
    billing_dispute_cleared_by_id = fields.Many2one(
        "res.users", string="Dispute Cleared By", readonly=True, copy=False
    )
    billing_dispute_cleared_at = fields.Datetime(
        string="Dispute Cleared On", readonly=True, copy=False
    )
    billing_suspended_tenant_ids = fields.Many2many(
        "tenant.tenant",
        "account_move_billing_suspended_tenant_rel",
        "move_id",
        "tenant_id",
        string="Tenants Suspended",
        readonly=True,
        copy=False,
        help="The tenants suspended for non-payment of this invoice; resumed when it is paid.",
    )
    billing_suspended_at = fields.Datetime(string="Suspended On", readonly=True, copy=False)
    billing_resumed_at = fields.Datetime(string="Resumed On", readonly=True, copy=False)

    # ------------------------------------------------------------------ the run

    @api.model
    def _cron_dunning(self, reference_date=None, batch_size=200):
        """The scheduled action, one bounded batch per call: up to ``batch_size`` of every
        company's overdue wholesale invoices not looked at yet on ``day`` (the high-water mark
        ``billing_dunning_checked_on``), taken with SKIP LOCKED so that another worker takes
        others, then up to ``batch_size`` paid invoices whose tenants wait to be resumed.
        Progress goes to ``ir.cron``, which calls again while some remain; a second run on the
        same day finds nothing left. Returns the number of invoices handled."""
        day = fields.Date.to_date(reference_date or fields.Date.context_today(self))
        moves = self.sudo()  # the run acts for the company, as the cron does
        todo = [
            *self._dunning_domain(day),
            "|",
            ("billing_dunning_checked_on", "=", False),
            ("billing_dunning_checked_on", "<", day),
        ]
        batch = self.env["ir.cron"]._channel_lock_batch(moves, todo, batch_size)
        if batch:
            moves._run_dunning(day, invoices=batch)
            batch._workflow_write({"billing_dunning_checked_on": day})
        held = moves.search(self._dunning_resume_domain(), order="id", limit=batch_size)
        held._dunning_resume()
        self.env["ir.cron"]._notify_progress(
            done=len(batch) + len(held),
            remaining=moves.search_count(todo)
            + (moves.search_count(self._dunning_resume_domain()) if held else 0),
        )
        return len(batch) + len(held)

    def action_run_dunning(self):
        """Dun the selected invoices today (Billing Managers)."""
        self._check_dunning_manager(self.env._("run dunning"))
        self.sudo()._run_dunning(fields.Date.context_today(self), invoices=self)
        return True

    def _check_dunning_manager(self, action):
        self._workflow_check_group("recurring_billing.group_billing_manager", action)

    @api.model
    def _dunning_domain(self, day):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("billing_subscription_id", "!=", False),
            ("invoice_date_due", "<", day),
        ]

    @api.model
    def _run_dunning(self, day, invoices=None):
        """Move the overdue invoices (``invoices``, else all) to their level on ``day``, then
        resume what paid invoices still hold suspended. One savepoint per invoice: a failure is
        logged in the invoice's chatter and the run goes on."""
        moves = self.sudo()  # the run acts for the company, as the cron does
        day = fields.Date.to_date(day)
        domain = self._dunning_domain(day)
        if invoices is not None:
            domain.append(("id", "in", invoices.ids))
        for company in moves.env["res.company"].search([]):
            policy = moves.env["billing.dunning.policy"]._for_company(company)
            if not policy or not policy.level_ids:
                continue
            overdue = moves.search([*domain, ("company_id", "=", company.id)])
            levels = policy.level_ids.sorted("days")
            for invoice in overdue:
                try:
                    with moves.env.cr.savepoint():
                        invoice._dun(levels, day)
                except Exception as error:
                    # recorded on the invoice, the run goes on; said once, not every day
                    _logger.warning("dunning of %s failed: %s", invoice.name, error)
                    failure = self.env._("dunning failed: %s", error)
                    if invoice.billing_dunning_held != failure:
                        invoice._workflow_write({"billing_dunning_held": failure})
                        invoice.message_post(
                            body=self.env._(
                                "Dunning failed on %(day)s: %(error)s", day=day, error=error
                            )
                        )
        held = moves.search(
            self._dunning_resume_domain()
            + ([("id", "in", invoices.ids)] if invoices is not None else [])
        )
        held._dunning_resume()

    @api.model
    def _dunning_resume_domain(self):
        """Paid invoices whose suspended tenants have not been resumed yet."""
        return [
            ("billing_suspended_tenant_ids", "!=", False),
            ("billing_resumed_at", "=", False),
            ("payment_state", "in", PAID_STATES),
        ]

    def _dun(self, levels, day):
        self.ensure_one()
        current = self.billing_dunning_level_id
        current_index = levels.ids.index(current.id) if current in levels else None
        suspending = [i for i, level in enumerate(levels) if level.suspend]
        suspend_from = suspending[0] if suspending else None
        held = self._dunning_block_reason()
        days = levels.mapped("days")
        reached = dunning_core.reached_level(days, self.invoice_date_due, day)
        at_suspension = suspend_from is not None and reached is not None and reached >= suspend_from
        if held and at_suspension and self.billing_dunning_held != held:
            self._workflow_write({"billing_dunning_held": held})
            self.message_post(
                body=self.env._("Suspension held on %(day)s: %(reason)s.", day=day, reason=held)
            )
        target = dunning_core.next_level(
            days, current_index, self.invoice_date_due, day, suspend_from, bool(held)
        )
        if target is None:
            return
        level = levels[target]
        self._workflow_write({"billing_dunning_level_id": level.id, "billing_dunning_date": day})
        self._dunning_notify(level, day)
        if level.suspend:
            self._workflow_write({"billing_dunning_held": False})
            self._dunning_suspend(day)

    def _dunning_block_reason(self):
        """Why this invoice's tenants may not be suspended now, or False."""
        self.ensure_one()
        if self.billing_dispute:
            return self.env._("a dispute is open (%s)", self.billing_dispute_reason)
        pending = self.sudo().transaction_ids.filtered(lambda tx: tx.state in PENDING_TX_STATES)
        if pending:
            return self.env._("a payment is pending (%s)", ", ".join(pending.mapped("reference")))
        return False

    def _dunning_notify(self, level, day):
        """The level's notice: emailed to the partner (and shown on the invoice in the portal);
        a letter or a call is also scheduled as an activity."""
        text = level.message or level.name
        body = Markup("<p><strong>%s</strong></p><p>%s</p><p>%s</p>") % (
            level.name,
            text,
            self.env._(
                "Invoice %(invoice)s: %(amount)s due since %(due)s.",
                invoice=self.name,
                amount=self.currency_id.format(self.amount_residual),
                due=self.invoice_date_due,
            ),
        )
        self.message_post(
            body=body,
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if level.channel in ("letter", "phone"):
            activity_type = "mail.mail_activity_data_call" if level.channel == "phone" else None
            self.activity_schedule(
                activity_type or "mail.mail_activity_data_todo",
                date_deadline=day,
                summary=self.env._(
                    "%(level)s: %(channel)s to %(partner)s",
                    level=level.name,
                    channel=dict(level._fields["channel"]._description_selection(self.env))[
                        level.channel
                    ],
                    partner=self.partner_id.display_name,
                ),
                user_id=(self.invoice_user_id or self.env.user).id,
            )

    def _dunning_tenants(self):
        """The active tenants this invoice bills: its subscription's tenant and those of the
        environments its hosting lines serve (not the partner's other customers)."""
        self.ensure_one()
        subscription = self.billing_subscription_id
        tenants = subscription.tenant_id | subscription.line_ids.environment_id.tenant_id
        return tenants.filtered(lambda t: t.state == "active")

    def _dunning_suspend(self, day):
        self.ensure_one()
        tenants = self._dunning_tenants()
        if not tenants:
            return
        Movement = self.env["billing.mrr.movement"].sudo()
        last = Movement.search([], order="id desc", limit=1).id or 0
        tenants.sudo().with_context(billing_change_date=day).action_suspend()
        # the churn this suspension booked says why (as a closing's does)
        Movement.search(
            [("id", ">", last), ("movement_type", "=", "churn"), ("reason", "=", False)]
        ).write({"reason": "non_payment"})
        self._workflow_write(
            {
                "billing_suspended_tenant_ids": [fields.Command.link(t.id) for t in tenants],
                "billing_suspended_at": fields.Datetime.now(),
                "billing_resumed_at": False,
            }
        )
        names = ", ".join(tenants.mapped("display_name"))
        for tenant in tenants:
            tenant.message_post(
                body=self.env._(
                    "Suspended on %(day)s for non-payment of invoice %(invoice)s.",
                    day=day,
                    invoice=self.name,
                )
            )
        self.message_post(
            body=self.env._(
                "Your tenants %(tenants)s are suspended from %(day)s because invoice %(invoice)s "
                "is unpaid. Paying it in full resumes them automatically.",
                tenants=names,
                day=day,
                invoice=self.name,
            ),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------ payment resumes

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        # read as the company: the payer may not see the tenants (a portal user, another company)
        to_resume = self.sudo().filtered(
            lambda m: m.billing_suspended_tenant_ids and not m.billing_resumed_at
        )
        for invoice in to_resume:
            # a backend failure must not undo the payment: the next dunning run resumes then
            try:
                with self.env.cr.savepoint():
                    invoice._dunning_resume()
            except Exception as error:
                _logger.warning("resume after payment of %s failed: %s", invoice.name, error)
        return result

    def _dunning_resume(self):
        """Resume the tenants this paid invoice's suspension recorded, unless another unpaid
        invoice still holds them suspended."""
        day = fields.Date.context_today(self)
        # whoever's payment completed it (a portal user's included), the resume is the company's
        for invoice in self.sudo():
            if invoice.payment_state not in PAID_STATES or invoice.billing_resumed_at:
                continue
            others = self.sudo().search(
                [
                    ("id", "!=", invoice.id),
                    (
                        "billing_suspended_tenant_ids",
                        "in",
                        invoice.billing_suspended_tenant_ids.ids,
                    ),
                    ("billing_resumed_at", "=", False),
                    ("payment_state", "not in", PAID_STATES),
                ]
            )
            tenants = invoice.billing_suspended_tenant_ids.filtered(
                lambda t, others=others: t.state == "suspended"
                and t not in others.billing_suspended_tenant_ids
            )
            if tenants:
                tenants.sudo().with_context(billing_change_date=day).action_resume()
            invoice._workflow_write({"billing_resumed_at": fields.Datetime.now()})
            for tenant in tenants:
                tenant.message_post(
                    body=self.env._(
                        "Resumed on %(day)s: invoice %(invoice)s is paid.",
                        day=day,
                        invoice=invoice.name,
                    )
                )
            invoice.message_post(
                body=self.env._(
                    "Invoice %(invoice)s is paid, thank you: your tenants %(tenants)s are "
                    "running again.",
                    invoice=invoice.name,
                    tenants=", ".join(tenants.mapped("display_name")) or "-",
                ),
                partner_ids=invoice.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
