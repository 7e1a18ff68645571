from hypothesis import given
from hypothesis import strategies as st

from ...core.certification import certification_progress, tier_to_reach


def test_progress_counts_required_types_and_the_minimum_count():
    # Gold: functional required, 4 certifications; the partner holds 2, functional among them
    assert certification_progress({"functional", "technical"}, 2, {"functional"}, 4) == 60.0
    # required types alone
    assert certification_progress({"a"}, 1, {"a", "b"}, 0) == 50.0
    # more certifications than the minimum count no more than the minimum
    assert certification_progress(set(), 10, set(), 4) == 100.0


def test_no_requirement_is_no_value():
    assert certification_progress({"a"}, 5, set(), 0) is None


def test_tier_to_reach_is_the_next_level_up():
    assert tier_to_reach(1, [3, 1, 2]) == 2
    assert tier_to_reach(3, [3, 1, 2]) == 3
    assert tier_to_reach(None, [3, 2]) == 2


@given(
    held=st.sets(st.sampled_from("abcdef")),
    required=st.sets(st.sampled_from("abcdef")),
    active=st.integers(min_value=0, max_value=20),
    minimum=st.integers(min_value=0, max_value=10),
)
def test_progress_is_a_share_against_a_step_count(held, required, active, minimum):
    value = certification_progress(held, active, required, minimum)
    steps = len(required) + minimum
    if not steps:
        assert value is None
        return
    assert 0.0 <= value <= 100.0
    done = sum(1 for t in required if t in held) + min(active, minimum)
    assert abs(value - 100.0 * done / steps) < 1e-9
    assert (value == 100.0) == (required <= held and active >= minimum)
