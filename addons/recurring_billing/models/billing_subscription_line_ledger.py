from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..core import ledger as ledger_core
from ..core.ledger import BOOKED_BY_CALLER

# what a line's MRR on a day depends on, besides its subscription's state and pause
MRR_FIELDS = frozenset(
    {
        "subscription_id",
        "price_unit",
        "quantity",
        "recurring",
        "service_type",
        "revenue_layer",
        "date_start",
        "date_end",
    }
)


class BillingSubscriptionLine(models.Model):
    """Lines keep the MRR ledger in line with them.

    Adding, editing, ending or removing a line of a subscription that counts (any but a draft)
    books what it changes - whoever makes the edit (the subscription form's line list, an import,
    RPC): on each day up to today, the change of the line's MRR on that day (a back-dated end is
    booked on the day after it); after today, the subscription's plan of movements is made
    again from its lines. The ledger summed to any day is then the MRR of the lines running that
    day, not only after the actions that book it themselves.
    """

    _inherit = "billing.subscription.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._book_mrr_edit({}, lines._mrr_terms())
        return lines

    def write(self, vals):
        if not MRR_FIELDS & set(vals) or self.env.context.get(BOOKED_BY_CALLER):
            return super().write(vals)
        before = self._mrr_terms()
        result = super().write(vals)
        self._book_mrr_edit(before, self._mrr_terms())
        return result

    def unlink(self):
        before = self._mrr_terms()
        result = super().unlink()
        self._book_mrr_edit(before, {})
        return result

    def _mrr_terms(self):
        """``{subscription: [(layer, mrr, start, end)]}`` of these lines, for the subscriptions
        that count in the ledger (``end`` is ``None`` for an open line)."""
        terms = defaultdict(list)
        for line in self:
            subscription = line.subscription_id
            if subscription.state == "draft" or not line.date_start:
                continue
            terms[subscription].append(
                (line.revenue_layer, line.mrr, line.date_start, line.date_end or None)
            )
        return terms

    def _mrr_change_dates(self):
        """``{subscription: {day}}``: the days these lines' MRR starts or stops (the day after
        their end), for the subscriptions that count in the ledger."""
        days = defaultdict(set)
        for subscription, terms in self._mrr_terms().items():
            for _layer, _mrr, start, end in terms:
                days[subscription].add(start)
                if end:
                    days[subscription].add(end + timedelta(days=1))
        return days

    def _book_mrr_edit(self, before, after):
        """Book the MRR change of an edit of lines, from their terms ``before`` and ``after``
        (``_mrr_terms``): on each day up to today what it changes, then the plan after today."""
        if self.env.context.get(BOOKED_BY_CALLER):
            return
        today = fields.Date.context_today(self)
        for subscription in {*before, *after}:
            if not subscription.exists() or subscription.state == "draft":
                continue
            steps = ledger_core.edit_steps(
                before.get(subscription, []),
                after.get(subscription, []),
                today,
                subscription.pause_date or None,
            )
            for day, changes in steps:
                subscription._book_mrr_deltas(day, changes)
            subscription._replan_mrr_ledger(today)
