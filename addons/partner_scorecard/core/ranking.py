"""Rank partners within their partner type by overall score (competition ranking: 1, 2, 2, 4)."""


def rank_within_groups(rows):
    """``rows`` is an iterable of (key, group, score); return {key: rank} (None score: no rank).

    >>> sorted(rank_within_groups([(1, "a", 90), (2, "a", 70), (3, "a", 90), (4, "b", 10),
    ...                            (5, "a", None)]).items())
    [(1, 1), (2, 3), (3, 1), (4, 1), (5, None)]
    """
    groups = {}
    ranks = {}
    for key, group, score in rows:
        if score is None:
            ranks[key] = None
        else:
            groups.setdefault(group, []).append((score, key))
    for members in groups.values():
        members.sort(key=lambda pair: -pair[0])
        previous_score, previous_rank = None, 0
        for position, (score, key) in enumerate(members, start=1):
            rank = previous_rank if score == previous_score else position
            ranks[key] = rank
            previous_score, previous_rank = score, rank
    return ranks


def trend(current, previous):
    """Points gained since the previous period (None when either is unknown).

    >>> trend(72.5, 70), trend(70, None)
    (2.5, None)
    """
    if current is None or previous is None:
        return None
    return round(current - previous, 2)
