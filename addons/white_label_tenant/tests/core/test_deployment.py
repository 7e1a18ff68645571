from hypothesis import given
from hypothesis import strategies as st

from ...core.deployment import (
    DatabaseSettings,
    PlanSpec,
    Recommendation,
    database_settings,
    recommend,
)

SMALL, MEDIUM, LARGE = PlanSpec(1, 2, 4, 50), PlanSpec(2, 4, 8, 100), PlanSpec(3, 8, 32, 400)


def test_tier_picks_model_and_plan_by_size():
    plans = [LARGE, SMALL, MEDIUM]
    assert recommend(1, plans) == Recommendation("multi_tenant", 1)
    assert recommend("2", plans) == Recommendation("multi_tenant", 2)
    assert recommend(3, plans) == Recommendation("dedicated", 3)


def test_unknown_tier_or_no_plan():
    assert recommend(False, [SMALL]) == Recommendation(False, False)
    assert recommend(4, [SMALL]) == Recommendation(False, False)
    assert recommend(3, []) == Recommendation("dedicated", False)


def test_plans_naming_a_tier_win():
    gold = PlanSpec(10, 4, 16, 200, min_tier=3)
    silver = PlanSpec(11, 2, 8, 100, min_tier=2)
    bronze = PlanSpec(12, 16, 64, 800, min_tier=1)  # big, but named for tier 1
    plans = [LARGE, gold, silver, bronze]
    assert recommend(3, plans).plan_id == 10
    assert recommend(2, plans).plan_id == 11
    assert recommend(1, plans).plan_id == 12
    # two plans for the same tier: the smaller one
    assert recommend(3, [gold, PlanSpec(13, 2, 16, 200, min_tier=3)]).plan_id == 13
    # only plans for higher tiers: none fits
    assert recommend(1, [gold, silver]).plan_id is False


plan_lists = st.lists(
    st.builds(
        PlanSpec,
        id=st.integers(1, 10**6),
        vcpu=st.integers(1, 64),
        ram_gb=st.floats(0.5, 512),
        storage_gb=st.integers(1, 10**4),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda p: p.id,
)


@given(plan_lists)
def test_higher_tier_never_gets_a_smaller_plan(plans):
    """Against the reference: sort by size; tier 1 smallest, tier 3 largest, tier 2 between."""
    by_id = {plan.id: plan for plan in plans}
    sizes = [by_id[recommend(tier, plans).plan_id].size for tier in (1, 2, 3)]
    assert sizes == sorted(sizes)
    ranked = sorted(plans, key=lambda p: p.size)
    assert sizes[0] == ranked[0].size
    assert sizes[2] == ranked[-1].size


def test_database_settings():
    assert database_settings("dedicated", 40, 120, 64, 10) == DatabaseSettings(
        True, 40, {"statement_timeout": "120s", "work_mem": "64MB"}
    )
    assert database_settings("multi_tenant", 40, 120, 64, 10) == DatabaseSettings(False, 10, {})
    # 0 means "no limit" / the server's default
    assert database_settings("dedicated", 0, 0, 0, 10) == DatabaseSettings(True, -1, {})
    assert database_settings("multi_tenant", 40, 120, 64, 0) == DatabaseSettings(False, -1, {})
