import logging
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import periods as period_core
from ..core.ledger import BOOKED_BY_CALLER

_logger = logging.getLogger(__name__)


class BillingSubscription(models.Model):
    """The lifecycle of a subscription: activate, pause, resume, close and the automatic
    renewal; each step brings the MRR ledger in line on the day it takes effect."""

    _inherit = "billing.subscription"

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
        self._workflow_write({"state": "active"})
        for subscription in self:
            # also the lines starting later or ending: the ledger holds them from today
            days = subscription.line_ids._mrr_change_dates()[subscription]
            subscription._sync_mrr_ledger_on({subscription.date_start} | days)
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
        paused._workflow_write({"state": "paused", "pause_date": date})
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
                line._workflow_write({"last_date_invoiced": mark})
        paused._workflow_write({"state": "active", "pause_date": False})
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
            # booked below, once the subscription is closed: a churn with its reason
            subscription.line_ids.filtered(
                lambda line, last_day=last_day: not line.date_end or line.date_end > last_day
            ).with_context(**{BOOKED_BY_CALLER: True}).write({"date_end": last_day})
            subscription._workflow_write(
                {
                    "state": "closed",
                    "date_end": last_day,
                    "close_reason": reason,
                    "close_note": note,
                }
            )
            subscription._sync_mrr_ledger(date)
        return True

    def _cron_renew(self, reference_date=None, batch_size=200, slice_index=0):
        """Extend the end date of automatic renewals whose notice period has started, one
        batch of ``batch_size`` per call, oldest end first; returns the renewed subscriptions.

        Taken with SKIP LOCKED (a second worker takes others), each in its own savepoint: a
        failure is logged on the subscription and the others go on. A renewed subscription's
        end moves a term on, out of the notice period, so a second run renews nothing more;
        ``ir.cron`` calls again while some are due. Call ``slice_index`` takes the subscriptions
        of its parallel slice only (``ir.cron._channel_slice_sql``)."""
        reference_date = reference_date or fields.Date.context_today(self)
        due_sql = SQL(
            "state = 'active' AND renewal_type = 'auto' AND date_end IS NOT NULL "
            "AND date_end - COALESCE(renewal_notice_days, 0) <= %s AND %s",
            reference_date,
            self.env["ir.cron"]._channel_slice_sql(
                SQL.identifier("billing_subscription", "id"), slice_index
            ),
        )
        self.flush_model(["state", "renewal_type", "date_end", "renewal_notice_days"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM billing_subscription WHERE %s ORDER BY date_end, id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                due_sql,
                batch_size,
            )
        )
        due = self.browse(row[0] for row in self.env.cr.fetchall())
        renewed = self.browse()
        for subscription in due:
            try:
                with self.env.cr.savepoint():
                    subscription._renew()
                renewed |= subscription
            except Exception as exc:  # isolate each subscription: report it, go on
                _logger.exception("Automatic renewal of %s failed", subscription.display_name)
                subscription.message_post(
                    body=self.env._("The automatic renewal failed: %(e)s", e=exc)
                )
        self.env.cr.execute(SQL("SELECT count(*) FROM billing_subscription WHERE %s", due_sql))
        remaining = self.env.cr.fetchone()[0] - (len(due) - len(renewed))
        self.env["ir.cron"]._notify_progress(done=len(due), remaining=max(0, remaining))
        return renewed

    def _renew(self):
        """Move the end date (and the lines ending with the subscription) one renewal term on."""
        self.ensure_one()
        new_end = period_core.add_months(self.date_end, self.renewal_term or 12)
        self.line_ids.filtered(lambda line, end=self.date_end: line.date_end == end).write(
            {"date_end": new_end}
        )
        self.date_end = new_end
        self.message_post(body=self.env._("Renewed automatically until %(date)s.", date=new_end))
