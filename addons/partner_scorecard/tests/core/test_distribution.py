from datetime import datetime, timedelta
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from ...core.distribution import (
    Candidate,
    Criteria,
    is_eligible,
    is_expired,
    offer_deadline,
    rank_partners,
    response_hours,
)

T0 = datetime(2026, 3, 2, 10, 0)


def _candidate(pid, tier, type_id=1, region=None, verticals=(), open_=0, recent=0, last=None):
    return Candidate(pid, type_id, tier, region, frozenset(verticals), open_, recent, last)


def test_every_criterion_filters():
    criteria = Criteria(type_ids={1}, min_tier_level=2, region_ids={10}, vertical_ids={4, 5})
    ok = _candidate(1, 2, region=10, verticals={5})
    assert is_eligible(ok, criteria)
    assert not is_eligible(_candidate(1, 2, type_id=2, region=10, verticals={5}), criteria)
    assert not is_eligible(_candidate(1, 1, region=10, verticals={5}), criteria)
    assert not is_eligible(_candidate(1, 2, region=11, verticals={5}), criteria)
    assert not is_eligible(_candidate(1, 2, region=None, verticals={5}), criteria)
    assert not is_eligible(_candidate(1, 2, region=10, verticals={6}), criteria)
    assert not is_eligible(ok, criteria, excluded={1})


def test_capacity_counts_open_offers_only():
    criteria = Criteria(capacity=2)
    assert is_eligible(_candidate(1, 1, open_=1, recent=9), criteria)
    assert not is_eligible(_candidate(1, 1, open_=2), criteria)
    assert is_eligible(_candidate(1, 1, open_=50), Criteria(capacity=0))


def test_round_robin_between_equal_tiers():
    never = _candidate(3, 2)
    yesterday = _candidate(1, 2, recent=1, last=T0 - timedelta(days=1))
    last_week = _candidate(2, 2, recent=1, last=T0 - timedelta(days=7))
    busy = _candidate(4, 2, recent=3, last=T0 - timedelta(days=30))
    assert rank_partners([busy, yesterday, last_week, never], Criteria()) == [3, 2, 1, 4]


def test_deadline_and_response_time():
    assert offer_deadline(T0, 48) == datetime(2026, 3, 4, 10, 0)
    assert offer_deadline(T0, 0.5) == datetime(2026, 3, 2, 10, 30)
    assert not is_expired(datetime(2026, 3, 4, 10, 0), datetime(2026, 3, 4, 10, 0))
    assert is_expired(datetime(2026, 3, 4, 10, 0), datetime(2026, 3, 4, 10, 0, 1))
    assert response_hours(T0, T0 - timedelta(hours=1)) == 0.0
    assert response_hours(T0, T0 + timedelta(hours=26, minutes=15)) == 26.25


# -- against a brute-force reference ---------------------------------------------------------------


def _reference(candidates, criteria, excluded):
    """The eligible partners in an order built by pairwise comparison: a partner comes before
    another if no candidate rule says otherwise (tier, then load, then last offer, then id)."""

    def ok(c):
        checks = [c.partner_id not in excluded]
        if criteria.type_ids:
            checks.append(c.type_id in criteria.type_ids)
        checks.append(c.tier_level >= criteria.min_tier_level)
        if criteria.region_ids:
            checks.append(c.region_id in criteria.region_ids)
        if criteria.vertical_ids:
            checks.append(any(v in c.vertical_ids for v in criteria.vertical_ids))
        if criteria.capacity:
            checks.append(c.open_offers < criteria.capacity)
        return all(checks)

    def before(a, b):
        if a.tier_level != b.tier_level:
            return a.tier_level > b.tier_level
        if a.recent_offers != b.recent_offers:
            return a.recent_offers < b.recent_offers
        if (a.last_offered_at is None) != (b.last_offered_at is None):
            return a.last_offered_at is None
        if a.last_offered_at != b.last_offered_at:
            return a.last_offered_at < b.last_offered_at
        return a.partner_id < b.partner_id

    eligible = [c for c in candidates if ok(c)]
    for order in permutations(eligible):
        if all(before(order[i], order[i + 1]) for i in range(len(order) - 1)):
            return [c.partner_id for c in order]
    return []


candidates_st = st.lists(
    st.builds(
        Candidate,
        partner_id=st.integers(1, 40),
        type_id=st.integers(1, 3),
        tier_level=st.integers(0, 4),
        region_id=st.one_of(st.none(), st.integers(10, 12)),
        vertical_ids=st.frozensets(st.integers(1, 4), max_size=3),
        open_offers=st.integers(0, 3),
        recent_offers=st.integers(0, 3),
        last_offered_at=st.one_of(
            st.none(), st.integers(0, 5).map(lambda d: T0 - timedelta(days=d))
        ),
    ),
    max_size=6,
    unique_by=lambda c: c.partner_id,
)
criteria_st = st.builds(
    Criteria,
    type_ids=st.frozensets(st.integers(1, 3), max_size=2),
    min_tier_level=st.integers(0, 4),
    region_ids=st.frozensets(st.integers(10, 12), max_size=2),
    vertical_ids=st.frozensets(st.integers(1, 4), max_size=2),
    capacity=st.integers(0, 3),
)


@settings(max_examples=300, deadline=None)
@given(candidates=candidates_st, criteria=criteria_st, excluded=st.frozensets(st.integers(1, 40)))
def test_ranking_matches_the_reference(candidates, criteria, excluded):
    ranked = rank_partners(candidates, criteria, excluded)
    assert ranked == _reference(candidates, criteria, excluded)
    # deterministic: the input order does not matter
    assert rank_partners(list(reversed(candidates)), criteria, excluded) == ranked


@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    hours=st.integers(1, 24 * 30),
    after=st.integers(0, 24 * 60 * 31),
)
def test_an_answer_before_the_deadline_is_never_expired(start, hours, after):
    deadline = offer_deadline(start, hours)
    answered = start + timedelta(minutes=after)
    assert is_expired(deadline, answered) == (after > hours * 60)
    assert response_hours(start, answered) == round(after / 60, 4)
