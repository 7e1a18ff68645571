import doctest

from hypothesis import given
from hypothesis import strategies as st

from ...core import branding
from ...core.branding import BRAND_ITEMS, brand_consistency, brand_items

DEFAULTS = ("#1f3b57", "#e8eef5")


def test_docstring_examples():
    assert doctest.testmod(branding).failed == 0


def test_default_colours_do_not_count_whatever_their_case():
    assert brand_items(True, "#1F3B57", "#E8EEF5", "", "", DEFAULTS) == {"logo"}
    assert brand_items(True, "#1f3b57", "#000000", "", "", DEFAULTS) == {"logo", "colors"}
    assert brand_items(False, "", "#000000", "", "", DEFAULTS) == set()


def test_consistency_by_hand():
    # a complete tenant, one with logo and sender, one without any branding
    full = set(BRAND_ITEMS)
    assert brand_consistency([full, {"logo", "sender"}, set()]) == 50.0


@given(st.lists(st.sets(st.sampled_from(BRAND_ITEMS)), min_size=1, max_size=8))
def test_consistency_is_the_mean_share(tenants):
    value = brand_consistency(tenants)
    assert 0.0 <= value <= 100.0
    expected = 100.0 * sum(len(items) for items in tenants) / (4 * len(tenants))
    assert abs(value - expected) < 1e-9
    assert (value == 100.0) == all(items == set(BRAND_ITEMS) for items in tenants)
