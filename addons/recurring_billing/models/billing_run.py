import logging

from psycopg2 import IntegrityError

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class BillingRun(models.Model):
    """The log of one invoicing run: what was billed, skipped and failed, and why.

    A run takes the due subscriptions with ``FOR UPDATE SKIP LOCKED`` (a subscription locked by
    another worker is left to it) and bills each one in its own savepoint, so one broken
    subscription is recorded with its error and the others go on.
    """

    _name = "billing.run"
    _description = "Billing Run"
    _order = "id desc"
    _rec_name = "reference_date"

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
    def _cron_invoice(self, reference_date=None, batch_size=200):
        """Scheduled action: invoice one batch of due subscriptions, report progress.

        The cron framework commits after the call and calls again at once while
        ``remaining`` is not zero, so a backlog of any size is worked through in batches.
        """
        reference_date = reference_date or fields.Date.context_today(self)
        done = remaining = 0
        companies = self.env["res.company"].search([]) if self.env.su else self.env.companies
        for company in companies:
            run = self.with_company(company)._run(reference_date, limit=batch_size)
            done += len(run.line_ids)
            remaining += run._count_due(reference_date)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return True

    def _due_domain(self, reference_date):
        return [
            ("company_id", "=", self.env.company.id),
            ("state", "in", ("active", "closed")),
            ("next_invoice_date", "<=", reference_date),
            ("billing_error", "=", False),
        ]

    def _count_due(self, reference_date):
        return self.env["billing.subscription"].search_count(self._due_domain(reference_date))

    def _lock_due(self, reference_date, limit=None, subscription_ids=None):
        """Ids of due subscriptions this transaction now holds, skipping those another holds."""
        Subscription = self.env["billing.subscription"]
        # the due dates are stored computes: write them before the raw query reads them
        self.env["billing.subscription.line"].flush_model()
        Subscription.flush_model()
        if subscription_ids is not None:
            domain = [("id", "in", list(subscription_ids))]
        else:
            domain = self._due_domain(reference_date)
        query = Subscription._search(domain, order="next_invoice_date, id", limit=limit)
        sql = query.select("billing_subscription.id")
        self.env.cr.execute(
            f"{sql.code} FOR UPDATE OF billing_subscription SKIP LOCKED", sql.params
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _run(self, reference_date, limit=None, subscription_ids=None):
        ids = self._lock_due(reference_date, limit=limit, subscription_ids=subscription_ids)
        if not ids and subscription_ids is None:
            return self.browse()  # nothing due: no empty log
        run = self.create({"reference_date": reference_date})
        auto_post = self.env.company.billing_auto_post
        Subscription = self.env["billing.subscription"].with_context(
            billing_run_id=run.id, tracking_disable=True
        )
        line_vals = []
        for subscription in Subscription.browse(ids):
            line_vals.append(run._bill_one(subscription, reference_date, auto_post))
        self.env["billing.run.line"].create(line_vals)
        run.state = "failed" if run.failed_count else "done"
        _logger.info(
            "billing run %s on %s: %s billed, %s skipped, %s failed",
            run.id,
            reference_date,
            run.billed_count,
            run.skipped_count,
            run.failed_count,
        )
        return run

    def _bill_one(self, subscription, reference_date, auto_post):
        vals = {"run_id": self.id, "subscription_id": subscription.id}
        try:
            with self.env.cr.savepoint():
                moves = subscription._invoice_due(reference_date, auto_post)
                self.env.flush_all()
        except IntegrityError as error:
            # another run billed the same period first: the unique constraint kept it single
            self.env.invalidate_all()
            vals.update(
                result="skipped",
                message=self.env._(
                    "Already billed by another run (%(error)s).", error=error.pgerror or str(error)
                ),
            )
            return vals
        except Exception as error:
            self.env.invalidate_all()
            message = str(error.args[0] if getattr(error, "args", None) else error)
            _logger.info("billing of %s failed: %s", subscription.name, message)
            subscription.write(
                {"billing_error": message, "billing_error_date": fields.Datetime.now()}
            )
            vals.update(result="failed", message=message)
            return vals
        if moves:
            vals.update(result="billed", move_ids=[fields.Command.set(moves.ids)])
        else:
            vals.update(result="skipped", message=self.env._("Nothing due on this date."))
        return vals

    def _action_open(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "billing.run",
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
