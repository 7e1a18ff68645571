"""Classification of MRR movements, with ChartMogul's definitions.

A movement is a change of one customer's MRR on one date, split by key (subscription and revenue
layer) so that the ledger can be summed by any of them:

- **new business**: the customer had no MRR before and never had any;
- **reactivation**: the customer had no MRR before but had some in the past (a returning churned
  customer);
- **expansion** / **contraction**: the customer had MRR before and still has some after; each part
  is an expansion when it rises and a contraction when it falls, so that cancelling one subscription
  of a customer who keeps another is a contraction, not a churn;
- **churn**: the customer's MRR falls to zero (no other active subscription left).

The sum of all movements of a customer up to a date is that customer's MRR on that date.
"""

from collections import defaultdict
from datetime import timedelta

NEW = "new"
EXPANSION = "expansion"
CONTRACTION = "contraction"
CHURN = "churn"
REACTIVATION = "reactivation"
TYPES = (NEW, EXPANSION, CONTRACTION, CHURN, REACTIVATION)

# context key of the actions that change several lines and then book the ledger once themselves
# (a change from a date, a closing, a tenant's suspension, resumption or decommissioning): one
# movement per layer and day, classified on the outcome, with the closing's reason
BOOKED_BY_CALLER = "billing_mrr_booked_by_caller"


def classify(customer_mrr_before, deltas, had_mrr_before=False, precision=1e-6):
    """Classify the parts of one customer's MRR change.

    :param customer_mrr_before: the customer's total MRR just before the change
    :param deltas: ``{key: change}`` of the parts that change (zero changes are dropped)
    :param had_mrr_before: whether the customer ever had MRR before (tells new from reactivation)
    :return: list of ``(key, type, change)``
    """
    deltas = {key: value for key, value in deltas.items() if abs(value) > precision}
    after = customer_mrr_before + sum(deltas.values())
    was_active = customer_mrr_before > precision
    is_active = after > precision
    result = []
    for key, change in deltas.items():
        if not was_active and is_active:
            kind = REACTIVATION if had_mrr_before else NEW
        elif was_active and not is_active:
            kind = CHURN
        elif change > 0:
            kind = EXPANSION
        else:
            kind = CONTRACTION
        result.append((key, kind, change))
    return result


def running_mrr(terms, day, pause=None):
    """``{key: mrr}`` of the lines of ``terms`` running on ``day``.

    :param terms: ``[(key, mrr, start, end)]``, ``end`` the last day served (``None``: open)
    :param pause: the first day of the subscription's pause (nothing runs from it), or ``None``
    """
    total = defaultdict(float)
    if pause is not None and pause <= day:
        return total
    for key, mrr, start, end in terms:
        if start <= day and (end is None or day <= end):
            total[key] += mrr
    return total


def edit_steps(old_terms, new_terms, until, pause=None, precision=1e-6):
    """The changes of MRR an edit of lines makes, on each day up to ``until`` (inclusive).

    The lines' MRR changes only on their starts, the days after their ends and the pause, so
    the difference between the lines after and before the edit is compared on those days.

    :param old_terms: the lines' ``[(key, mrr, start, end)]`` before the edit (see ``running_mrr``)
    :param new_terms: the same after the edit
    :return: ``[(day, {key: change})]``, oldest first, days without a change left out
    """
    days = {pause} if pause is not None else set()
    for _key, _mrr, start, end in (*old_terms, *new_terms):
        days.add(start)
        if end is not None:
            days.add(end + timedelta(days=1))
    result, previous = [], {}
    for day in sorted(day for day in days if day <= until):
        old = running_mrr(old_terms, day, pause)
        new = running_mrr(new_terms, day, pause)
        difference = {key: new.get(key, 0.0) - old.get(key, 0.0) for key in {*old, *new}}
        steps = {
            key: difference.get(key, 0.0) - previous.get(key, 0.0)
            for key in sorted({*difference, *previous})
        }
        steps = {key: step for key, step in steps.items() if abs(step) > precision}
        if steps:
            result.append((day, steps))
        previous = difference
    return result
