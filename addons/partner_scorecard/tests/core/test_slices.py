import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core.slices import Slice, parse_slice_count, twin_indexes


@given(
    ids=st.sets(st.integers(min_value=1, max_value=10**9), max_size=200),
    count=st.integers(min_value=1, max_value=16),
)
def test_the_slices_of_a_count_share_every_unit_exactly_once(ids, count):
    for unit in ids:
        assert [index for index in range(count) if Slice(index, count).holds(unit)] == [
            unit % count
        ]
    # the original and its twins are the slices: 0 and twin_indexes
    assert [0, *twin_indexes(count)] == list(range(count))


@given(count=st.integers(min_value=1, max_value=16), extra=st.integers(min_value=0, max_value=20))
def test_a_twin_beyond_the_count_takes_nothing(count, extra):
    idle = Slice(count + extra, count)
    assert idle.idle
    assert not any(idle.holds(unit) for unit in range(100))


@pytest.mark.parametrize("value", ["0", "17", "-2", "1.5", "four", 0, 17])
def test_a_count_outside_1_to_16_is_refused(value):
    with pytest.raises(ValueError, match="not a whole number from 1 to 16"):
        parse_slice_count(value)


@pytest.mark.parametrize(
    ("value", "count"), [(None, 1), (False, 1), ("", 1), ("1", 1), ("16", 16), (8, 8)]
)
def test_accepted_counts(value, count):
    assert parse_slice_count(value) == count
