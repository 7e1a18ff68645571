from ...core.tiers import (
    DEMOTE,
    KEEP,
    PROMOTE,
    PartnerStanding,
    TierCriteria,
    gaps,
    next_tier,
    qualifying_tier,
    recommend,
)

READY = TierCriteria("ready", 1, "Ready", min_overall=0)
SILVER = TierCriteria("silver", 2, "Silver", min_overall=55, min_certifications=2)
GOLD = TierCriteria(
    "gold",
    3,
    "Gold",
    min_overall=70,
    min_domain={"implementation": 65},
    min_certifications=4,
    required_certifications=frozenset({"functional"}),
    min_recurring_revenue=5000,
)
TIERS = [GOLD, READY, SILVER]


def standing(overall, impl=None, certs=0, types=(), mrr=None):
    return PartnerStanding(
        overall, {"implementation": impl}, certs, frozenset(types), recurring_revenue=mrr
    )


def test_qualifies_for_highest_tier_whose_criteria_all_hold():
    assert qualifying_tier(TIERS, standing(80, 70, 5, ["functional"], 6000)).key == "gold"
    # one missing named certification is enough to stay silver
    assert qualifying_tier(TIERS, standing(80, 70, 5, [], 6000)).key == "silver"
    assert qualifying_tier(TIERS, standing(50)).key == "ready"


def test_gap_to_next_tier_lists_each_short_criterion_with_shortfall():
    short = gaps(GOLD, standing(66.5, 60, 3, [], 4200))
    table = {(g.criterion, g.subject): (g.required, g.actual, g.shortfall) for g in short}
    assert table == {
        ("overall", None): (70, 66.5, 3.5),
        ("domain", "implementation"): (65, 60, 5),
        ("certification_count", None): (4, 3, 1),
        ("certification", "functional"): (1, 0, 1),
        ("recurring_revenue", None): (5000, 4200, 800),
    }


def test_missing_domain_score_is_a_gap_not_a_pass():
    short = gaps(GOLD, standing(90, None, 9, ["functional"], 9000))
    assert [(g.criterion, g.actual) for g in short] == [("domain", None)]


def test_next_tier():
    assert next_tier(TIERS, 1).key == "silver"
    assert next_tier(TIERS, 3) is None
    assert next_tier(TIERS, None).key == "ready"


def test_promotion_needs_consecutive_periods():
    assert recommend(1, [2]) == (KEEP, 1)
    assert recommend(1, [2, 2]) == (PROMOTE, 2)
    assert recommend(1, [2, 1, 2]) == (KEEP, 1)
    assert recommend(1, [3, 3], promote_after=2) == (PROMOTE, 3)
    assert recommend(1, [3, 2]) == (PROMOTE, 2)
    assert recommend(1, [2, 2, 2], promote_after=3) == (PROMOTE, 2)


def test_demotion_waits_for_the_grace_period():
    assert recommend(3, [2]) == (KEEP, 3)
    assert recommend(3, [2, 1]) == (DEMOTE, 2)
    assert recommend(3, [1, 3, 1]) == (KEEP, 3)  # recovered in between
    assert recommend(3, [2], demote_grace=0) == (DEMOTE, 2)
    assert recommend(2, [None, None]) == (DEMOTE, None)


def test_newcomer_takes_its_current_qualification():
    assert recommend(None, [2]) == (PROMOTE, 2)
    assert recommend(None, [None]) == (KEEP, None)
    assert recommend(2, []) == (KEEP, 2)
