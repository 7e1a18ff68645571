"""Parallel slices of a batch job: the units whose ``id % count == index`` belong to slice ``index``.

A batch job runs as ``count`` scheduled actions (the original, slice 0, and ``count - 1`` twins),
each taking only the units of its slice, so that several cron workers (of one or several Odoo
nodes) share the work without ever taking the same unit.
"""

from dataclasses import dataclass

MIN_SLICES = 1
MAX_SLICES = 16
DEFAULT_SLICES = 1


def parse_slice_count(value):
    """The slice count stored as ``value`` (a system parameter: text or nothing).

    Nothing (no parameter: None or False) means the default, one slice; anything else must be
    a whole number from 1 to 16.

    >>> parse_slice_count(None), parse_slice_count(False), parse_slice_count(" 4 ")
    (1, 1, 4)
    >>> parse_slice_count(0)
    Traceback (most recent call last):
    ...
    ValueError: 0 is not a whole number from 1 to 16
    """
    if value is None or value is False or (isinstance(value, str) and not value.strip()):
        return DEFAULT_SLICES
    text = str(value).strip()
    try:
        count = int(text)
    except ValueError:
        count = None
    if count is None or not MIN_SLICES <= count <= MAX_SLICES:
        raise ValueError(f"{text} is not a whole number from {MIN_SLICES} to {MAX_SLICES}")
    return count


@dataclass(frozen=True)
class Slice:
    """Slice ``index`` of ``count``. A twin left over from a larger count (``index >= count``)
    is idle: it takes nothing, until the setting removes it.

    >>> [Slice(1, 3).holds(unit) for unit in range(6)]
    [False, True, False, False, True, False]
    >>> Slice(0, 1).holds(7), Slice(3, 2).holds(3)
    (True, False)
    """

    index: int = 0
    count: int = 1

    @property
    def idle(self):
        return self.index >= self.count

    @property
    def whole(self):
        """The only slice: it takes every unit."""
        return self.count == 1 and self.index == 0

    def holds(self, unit_id):
        return not self.idle and unit_id % self.count == self.index


def twin_indexes(count):
    """The slices run by twins: every slice but the original's (0).

    >>> list(twin_indexes(4)), list(twin_indexes(1))
    ([1, 2, 3], [])
    """
    return range(1, count)


def twin_name(name, index, count):
    """The name of the twin that runs slice ``index`` of ``count`` (numbered from 1 for people).

    >>> twin_name("Billing: invoice due subscriptions", 1, 4)
    'Billing: invoice due subscriptions (slice 2/4)'
    """
    return f"{name} (slice {index + 1}/{count})"
