"""Cohort retention grouped by a dimension of the customer (vertical, deployment model, partner
type...).

The models fetch each customer's cohort (month of its first MRR) and MRR at each age, and the
groups the customer belongs to; this module only groups.  A customer belongs to one group or to
several (a partner active in two verticals puts its customers in both): each group's retention is
computed over its own customers, so groups need not add up to the whole.
"""

from .metrics import cohort_retention

NONE_GROUP = False


def retention_by_group(customer_mrr, groups_of):
    """``{group: {cohort: [retention at age 0, 1, ...]}}``.

    :param customer_mrr: ``{customer: (cohort, {age in months: MRR at that age's month end})}``
    :param groups_of: ``{customer: iterable of group keys}``; a customer without any group falls
        in :data:`NONE_GROUP`

    >>> from datetime import date
    >>> jan = date(2026, 1, 1)
    >>> retention_by_group(
    ...     {1: (jan, {0: 100.0, 1: 50.0}), 2: (jan, {0: 100.0, 1: 100.0})},
    ...     {1: ["retail"], 2: ["food"]},
    ... )["retail"]
    {datetime.date(2026, 1, 1): [1.0, 0.5]}
    """
    first = {}
    by_age = {}
    for customer, (cohort, ages) in customer_mrr.items():
        for group in groups_of.get(customer) or [NONE_GROUP]:
            for age, amount in ages.items():
                key = (group, cohort, age)
                by_age[key] = by_age.get(key, 0.0) + amount
            first[(group, cohort)] = first.get((group, cohort), 0.0) + ages.get(0, 0.0)
    result = {}
    for group in {group for group, _cohort in first}:
        result[group] = cohort_retention(
            {cohort: amount for (g, cohort), amount in first.items() if g == group},
            {(cohort, age): amount for (g, cohort, age), amount in by_age.items() if g == group},
        )
    return result
