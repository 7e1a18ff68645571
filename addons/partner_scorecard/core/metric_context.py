"""What a metric provider measures on: one company, one period, some partners.

Every provider receives one :class:`MetricContext` (see readme/DEVELOP.md, "Metric providers").
It holds the ORM records the scorecard engine passes (a ``res.company`` record and a
``res.partner`` recordset), but nothing here imports Odoo: any object with ``id``/``ids`` and a
length will do, which is what the examples below use.

>>> class Records(tuple):  # a stand-in for a recordset
...     ids = property(list)
...     id = property(lambda self: self[0] if len(self) == 1 else False)
>>> context = MetricContext(Records([1]), date(2026, 4, 1), date(2026, 6, 30), Records([7, 9]))
>>> context.company_id, context.partner_ids
(1, [7, 9])
>>> context.with_partners(Records([9])).partner_ids
[9]
>>> context.date_to = date(2026, 12, 31)
Traceback (most recent call last):
...
dataclasses.FrozenInstanceError: cannot assign to field 'date_to'
>>> MetricContext(Records([1, 2]), date(2026, 4, 1), date(2026, 6, 30), Records([]))
Traceback (most recent call last):
...
ValueError: a metric is measured for one company, not 2
>>> MetricContext(Records([1]), date(2026, 6, 30), date(2026, 4, 1), Records([]))
Traceback (most recent call last):
...
ValueError: the period ends (2026-04-01) before it starts (2026-06-30)
"""

from dataclasses import dataclass, replace
from datetime import date, datetime


@dataclass(frozen=True)
class MetricContext:
    """One company, the period ``[date_from, date_to]`` (both inclusive) and the partners.

    A provider counts only the records of ``company`` (a partner with memberships in two
    companies has one scorecard in each, scored on that company's figures).
    """

    company: object
    date_from: date
    date_to: date
    partners: object

    def __post_init__(self):
        if len(self.company) != 1:
            raise ValueError(f"a metric is measured for one company, not {len(self.company)}")
        for bound in (self.date_from, self.date_to):
            if not isinstance(bound, date) or isinstance(bound, datetime):
                raise TypeError(f"period bounds are dates, not {bound!r}")
        if self.date_to < self.date_from:
            raise ValueError(
                f"the period ends ({self.date_to}) before it starts ({self.date_from})"
            )

    @property
    def company_id(self):
        return self.company.id

    @property
    def partner_ids(self):
        """The partners' ids as a list (what ``= ANY(%s)`` in SQL takes)."""
        return list(self.partners.ids)

    def with_partners(self, partners):
        """The same company and period for other partners."""
        return replace(self, partners=partners)
