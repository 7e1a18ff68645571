"""Lead distribution: which channel partner is offered a lead next, and until when.

A distribution rule names the partners it may offer a lead to (partner types, a minimum tier
level, regions, verticals: an empty criterion accepts every value) and how many open offers a
partner may hold at once (its capacity). Among the eligible partners the highest tier comes first;
between equals, the one offered the fewest leads lately, then the one offered longest ago (never
offered first), then the lowest id: round robin, and the same answer for the same input.

>>> from datetime import datetime
>>> criteria = Criteria(type_ids={1}, min_tier_level=2, capacity=2)
>>> gold = Candidate(partner_id=7, type_id=1, tier_level=3, region_id=None, vertical_ids=set())
>>> silver = Candidate(partner_id=9, type_id=1, tier_level=2, region_id=None, vertical_ids=set())
>>> ready = Candidate(partner_id=5, type_id=1, tier_level=1, region_id=None, vertical_ids=set())
>>> rank_partners([silver, ready, gold], criteria)
[7, 9]
>>> rank_partners([silver, gold], criteria, excluded={7})
[9]
>>> busy = Candidate(7, 1, 3, None, set(), open_offers=2)
>>> rank_partners([busy, silver], criteria)
[9]
>>> offer_deadline(datetime(2026, 3, 2, 10, 0), 48)
datetime.datetime(2026, 3, 4, 10, 0)
>>> response_hours(datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 2, 13, 30))
3.5
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Criteria:
    """What a rule asks of a partner. Empty sets accept any value; ``capacity`` is the most
    open offers a partner may hold (0: no limit)."""

    type_ids: frozenset = field(default_factory=frozenset)
    min_tier_level: int = 0
    region_ids: frozenset = field(default_factory=frozenset)
    vertical_ids: frozenset = field(default_factory=frozenset)
    capacity: int = 0

    def __post_init__(self):
        for name in ("type_ids", "region_ids", "vertical_ids"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if self.capacity < 0:
            raise ValueError(f"capacity must be 0 (no limit) or more, not {self.capacity}")


@dataclass(frozen=True)
class Candidate:
    """A partner's membership as the ranking sees it, with its current load."""

    partner_id: int
    type_id: int
    tier_level: int  # 0: no tier
    region_id: int | None
    vertical_ids: frozenset
    open_offers: int = 0  # offers waiting for this partner's answer now
    recent_offers: int = 0  # offers made to it in the recent window (any outcome)
    last_offered_at: datetime | None = None

    def __post_init__(self):
        object.__setattr__(self, "vertical_ids", frozenset(self.vertical_ids))


def is_eligible(candidate, criteria, excluded=frozenset()):
    """Whether ``criteria`` lets ``candidate`` be offered a lead now (capacity included)."""
    return (
        candidate.partner_id not in excluded
        and (not criteria.type_ids or candidate.type_id in criteria.type_ids)
        and (candidate.tier_level or 0) >= criteria.min_tier_level
        and (not criteria.region_ids or candidate.region_id in criteria.region_ids)
        and (not criteria.vertical_ids or bool(criteria.vertical_ids & candidate.vertical_ids))
        and (not criteria.capacity or candidate.open_offers < criteria.capacity)
    )


def _rank_key(candidate):
    never = candidate.last_offered_at is None
    return (
        -(candidate.tier_level or 0),
        candidate.recent_offers,
        not never,  # never offered before anyone offered at some time
        candidate.last_offered_at or datetime.min,
        candidate.partner_id,
    )


def rank_partners(candidates, criteria, excluded=frozenset()):
    """The ids of the eligible partners, the one to offer the lead to first."""
    excluded = frozenset(excluded)
    eligible = [c for c in candidates if is_eligible(c, criteria, excluded)]
    return [c.partner_id for c in sorted(eligible, key=_rank_key)]


def offer_deadline(offered_at, hours):
    """The last instant at which an offer made at ``offered_at`` can be answered."""
    if hours <= 0:
        raise ValueError(f"the response time must be positive, not {hours} hours")
    return offered_at + timedelta(hours=hours)


def response_hours(offered_at, responded_at):
    """Hours between the offer and the answer (4 decimals; never negative)."""
    seconds = max((responded_at - offered_at).total_seconds(), 0.0)
    return round(seconds / 3600.0, 4)


def is_expired(deadline, now):
    """An offer can be answered up to its deadline included."""
    return now > deadline
