"""What a value was on a day, from the log of its changes.

The ledger stores the partner's tier as it was on each movement's date, so a report by tier stays
true after the partner changes tier.  The rule:

- the last change on or before the day gives the value;
- before the first recorded change, the first change's old value when it had one, else its new
  value (the partner's earliest known tier: a backdated movement of a partner who joined the
  program later is reported under the tier it joined with);
- without any recorded change, the current value.
"""


def value_at(changes, day, current):
    """Value on ``day`` given ``changes``: ``[(day of the change, old value, new value)]``."""
    changes = sorted(changes, key=lambda change: change[0])
    if not changes:
        return current
    before = [change for change in changes if change[0] <= day]
    if before:
        return before[-1][2]
    _day, old, new = changes[0]
    return old or new
