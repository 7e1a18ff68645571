"""Certification progress of a partner towards a tier's certification requirements."""


def tier_to_reach(current_level, levels):
    """The level a partner works towards: the lowest level above ``current_level`` (``None``:
    no tier yet), or ``current_level`` itself at the top of the program.

    >>> tier_to_reach(2, [1, 2, 3, 4])
    3
    >>> tier_to_reach(4, [1, 2, 3, 4])
    4
    >>> tier_to_reach(None, [2, 1])
    1
    >>> tier_to_reach(None, []) is None
    True
    """
    above = [level for level in levels if current_level is None or level > current_level]
    if above:
        return min(above)
    return current_level


def certification_progress(held_types, active_count, required_types, min_count):
    """Share (0-100) of a tier's certification requirements a partner meets.

    Each required certification type held is one step, and each certification towards the
    tier's minimum count is one step: ``(required types held + min(active, minimum)) /
    (required types + minimum)``. ``None`` when the tier asks for no certification (nothing to
    measure, which is not 100 %).

    >>> certification_progress({"func"}, 3, {"func", "tech"}, 4)
    66.66666666666667
    >>> certification_progress(set(), 9, set(), 2)
    100.0
    >>> certification_progress({"func"}, 1, set(), 0) is None
    True
    """
    required = set(required_types)
    steps = len(required) + max(min_count, 0)
    if not steps:
        return None
    done = len(required & set(held_types)) + min(max(active_count, 0), max(min_count, 0))
    return 100.0 * done / steps
