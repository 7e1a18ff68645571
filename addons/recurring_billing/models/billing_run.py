import logging

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)


class BillingRun(models.Model):
    """The log of one invoicing run: what was billed, skipped and failed, and why.

    A run takes the due subscriptions with ``FOR UPDATE SKIP LOCKED`` (a subscription locked by
    another worker is left to it) and bills each one in its own savepoint, so one broken
    subscription is recorded with its error and the others go on.
    """

    _name = "billing.run"
    _description = "Billing Run"
    _inherit = ["channel.workflow.guard"]
    _order = "id desc"
    _rec_name = "reference_date"
    # subscriptions billed in one batch (one account.move.create, one savepoint)
    _chunk_size = 200
    # a run is a log: only ``_run`` creates and closes it, and its lines (the results) are written
    # with it (channel.workflow.guard, every caller)
    _workflow_fields = (
        "reference_date",
        "company_id",
        "user_id",
        "state",
        "line_ids",
        "billed_count",
        "skipped_count",
        "failed_count",
        "invoice_count",
    )
    _workflow_actions = dict.fromkeys(_workflow_fields, "Invoice Now")
    _workflow_children = ("billing.run.line",)

    reference_date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("failed", "With Failures")],
        default="running",
        required=True,
        index=True,
        readonly=True,
    )
    line_ids = fields.One2many("billing.run.line", "run_id", readonly=True)
    billed_count = fields.Integer(compute="_compute_counts", store=True)
    skipped_count = fields.Integer(compute="_compute_counts", store=True)
    failed_count = fields.Integer(compute="_compute_counts", store=True)
    invoice_count = fields.Integer(compute="_compute_counts", store=True)

    @api.depends("line_ids.result", "line_ids.invoice_count")
    def _compute_counts(self):
        for run in self:
            results = run.line_ids.mapped("result")
            run.billed_count = results.count("billed")
            run.skipped_count = results.count("skipped")
            run.failed_count = results.count("failed")
            run.invoice_count = sum(run.line_ids.mapped("invoice_count"))

    # ---------------------------------------------------------------- the run

    @api.model
    def _cron_invoice(self, reference_date=None, batch_size=200, slice_index=0):
        """Scheduled action: invoice one batch of due subscriptions, report progress.

        The cron framework commits after the call and calls again at once while
        ``remaining`` is not zero, so a backlog of any size is worked through in batches. With
        parallel slices (``ir.cron._channel_slice_sql``), call ``slice_index`` takes only the
        subscriptions of its slice, so that several cron workers bill at once.
        """
        reference_date = reference_date or fields.Date.context_today(self)
        done = remaining = 0
        # a dated change (line start or end, pause, close) takes effect on the stored MRR today
        self.env["billing.subscription"]._refresh_mrr(reference_date, slice_index=slice_index)
        companies = self.env["res.company"].search([]) if self.env.su else self.env.companies
        for company in companies:
            run = self.with_company(company)._run(
                reference_date, limit=batch_size, slice_index=slice_index
            )
            done += len(run.line_ids)
            remaining += self.with_company(company)._count_due(reference_date, slice_index)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return True

    def _due_domain(self, reference_date):
        return [
            ("company_id", "=", self.env.company.id),
            ("state", "in", ("active", "paused", "closed")),
            ("next_invoice_date", "<=", reference_date),
            # a failed subscription is tried again by every run of a later date, never dropped
            "|",
            ("billing_failed_on", "=", False),
            ("billing_failed_on", "<", reference_date),
        ]

    def _count_due(self, reference_date, slice_index=0):
        query = self._due_query(reference_date, slice_index)
        self.env.cr.execute(query.select("COUNT(*)"))
        return self.env.cr.fetchone()[0]

    def _due_query(self, reference_date, slice_index=0, **search_kwargs):
        """The due subscriptions of slice ``slice_index`` (all of them in one slice)."""
        query = self.env["billing.subscription"]._search(
            self._due_domain(reference_date), **search_kwargs
        )
        query.add_where(
            self.env["ir.cron"]._channel_slice_sql(
                SQL.identifier("billing_subscription", "id"), slice_index
            )
        )
        return query

    def _lock_due(self, reference_date, limit=None, subscription_ids=None, slice_index=0):
        """Ids of due subscriptions this transaction now holds, skipping those another holds."""
        Subscription = self.env["billing.subscription"]
        # the due dates are stored computes: write them before the raw query reads them
        self.env["billing.subscription.line"].flush_model()
        Subscription.flush_model()
        order = "next_invoice_date, id"
        if subscription_ids is not None:
            query = Subscription._search(
                [("id", "in", list(subscription_ids))], order=order, limit=limit
            )
        else:
            query = self._due_query(reference_date, slice_index, order=order, limit=limit)
        sql = query.select("billing_subscription.id")
        self.env.cr.execute(
            f"{sql.code} FOR UPDATE OF billing_subscription SKIP LOCKED", sql.params
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _run(self, reference_date, limit=None, subscription_ids=None, slice_index=0):
        ids = self._lock_due(
            reference_date, limit=limit, subscription_ids=subscription_ids, slice_index=slice_index
        )
        if not ids and subscription_ids is None:
            return self.browse()  # nothing due: no empty log
        run = self._workflow_create([{"reference_date": reference_date}])
        auto_post = self.env.company.billing_auto_post
        Subscription = self.env["billing.subscription"].with_context(
            billing_run_id=run.id, tracking_disable=True
        )
        outcomes, cache = {}, {}
        for chunk in split_every(self._chunk_size, ids, Subscription.browse):
            outcomes.update(run._bill_chunk(chunk, reference_date, auto_post, cache))
        self.env["billing.run.line"]._workflow_create([outcomes[sub_id] for sub_id in ids])
        recovered = Subscription.browse(
            sub_id for sub_id in ids if outcomes[sub_id]["result"] != "failed"
        ).filtered("billing_error")
        if recovered:
            recovered._clear_billing_failure()
        run._workflow_write({"state": "failed" if run.failed_count else "done"})
        _logger.info(
            "billing run %s on %s: %s billed, %s skipped, %s failed",
            run.id,
            reference_date,
            run.billed_count,
            run.skipped_count,
            run.failed_count,
        )
        return run

    def _bill_chunk(self, subscriptions, reference_date, auto_post, cache=None):
        """Bill a chunk of subscriptions in one batch; isolate them one by one if that fails.

        Everything that can be checked without writing (journal, currency, income accounts) is
        checked per subscription first, so a broken subscription is recorded and left out of the
        batch. The batch itself runs in a savepoint: if anything in it still fails (a period
        another worker billed meanwhile, a posting error), it is rolled back and the chunk is
        billed again one subscription per savepoint, so only the culprit fails.
        ``cache`` keeps journals, fiscal positions, accounts and taxes across chunks (see
        ``billing.subscription._prepare_due_invoices``). Returns
        ``{subscription id: billing.run.line values}``.
        """
        outcomes, prepared = {}, []
        for subscription in subscriptions:
            try:
                items = subscription._prepare_due_invoices(reference_date, cache)
            except Exception as error:  # any error is recorded on the subscription
                outcomes[subscription.id] = self._failure(subscription, error)
                continue
            if items:
                prepared.append((subscription, items))
            else:
                outcomes[subscription.id] = self._outcome(subscription, "skipped")
        if not prepared:
            return outcomes
        try:
            with self.env.cr.savepoint():
                created = subscriptions._create_due_invoices(prepared, auto_post)
                self.env.flush_all()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # see _error_outcome
        except Exception as error:  # isolated below
            self.env.invalidate_all()
            if len(prepared) == 1:
                subscription = prepared[0][0]
                outcomes[subscription.id] = self._error_outcome(subscription, error)
                return outcomes
            for subscription, _items in prepared:
                outcomes[subscription.id] = self._bill_one(subscription, reference_date, auto_post)
            return outcomes
        for subscription, moves in created.items():
            outcomes[subscription.id] = self._outcome(subscription, "billed", moves)
        return outcomes

    def _bill_one(self, subscription, reference_date, auto_post):
        try:
            with self.env.cr.savepoint():
                moves = subscription._invoice_due(reference_date, auto_post)
                self.env.flush_all()
        except Exception as error:  # any error is recorded on the subscription
            self.env.invalidate_all()
            return self._error_outcome(subscription, error)
        if moves:
            return self._outcome(subscription, "billed", moves)
        return self._outcome(subscription, "skipped")

    def _outcome(self, subscription, result, moves=None, message=None):
        vals = {"run_id": self.id, "subscription_id": subscription.id, "result": result}
        if moves:
            vals["move_ids"] = [fields.Command.set(moves.ids)]
        if message is None and result == "skipped":
            message = self.env._("Nothing due on this date.")
        if message:
            vals["message"] = message
        return vals

    def _error_outcome(self, subscription, error):
        if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            # a lock or serialisation conflict with another transaction says nothing about the
            # subscription: let the whole transaction be retried (the cron runs it again)
            raise error
        if isinstance(error, IntegrityError):
            # another run billed the same period first: the unique constraint kept it single
            return self._outcome(
                subscription,
                "skipped",
                message=self.env._(
                    "Already billed by another run (%(error)s).", error=error.pgerror or str(error)
                ),
            )
        return self._failure(subscription, error)

    def _failure(self, subscription, error):
        message = str(error.args[0] if getattr(error, "args", None) else error)
        _logger.info("billing of %s failed: %s", subscription.name, message)
        subscription._record_billing_failure(message, self.reference_date)
        return self._outcome(subscription, "failed", message=message)

    def _action_open(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "billing.run",
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
