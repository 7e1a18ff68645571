from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ...core.attach import attach_rates
from ...core.cohorts import NONE_GROUP, retention_by_group
from ...core.metrics import cohort_retention
from ...core.tenant_billing import LINES, SUBSCRIPTION, suspension_scope, tenant_mrr

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def test_tenant_mrr_counts_a_hosting_line_of_a_linked_subscription_once():
    # subscription 1 is linked (500 = its 300 hosting + 200 support); subscription 2 is a
    # partner's shared one carrying this tenant's 120 hosting line among others
    assert tenant_mrr({1: 500.0}, [(1, 300.0), (2, 120.0)]) == 620.0
    assert tenant_mrr({}, []) == 0.0


@given(
    st.dictionaries(st.integers(0, 5), st.floats(0, 1e6), max_size=4),
    st.lists(st.tuples(st.integers(0, 9), st.floats(0, 1e6)), max_size=8),
)
def test_tenant_mrr_against_a_reference(linked, lines):
    """Reference: every linked subscription, plus each line whose subscription is not linked."""
    expected = sum(linked.values())
    for subscription, amount in lines:
        if subscription not in linked:
            expected += amount
    assert abs(tenant_mrr(linked, lines) - expected) <= 1e-6 * max(1.0, expected)


def test_suspension_scope():
    assert suspension_scope(7, 7, [7, None]) == SUBSCRIPTION, "support of the tenant pauses too"
    assert suspension_scope(None, 7, [7, 7]) == SUBSCRIPTION, "only the tenant's hosting"
    assert suspension_scope(None, 7, [7, 8]) == LINES, "another tenant's hosting keeps running"
    assert suspension_scope(7, 7, [7, 8]) == LINES
    assert suspension_scope(8, 7, [7, None]) == LINES, "the support serves tenant 8"
    assert suspension_scope(None, 7, [None, 8]) is None
    assert suspension_scope(7, 7, []) is None, "nothing running: nothing to pause"


def test_attach_rates_of_the_four_services():
    rates = attach_rates(4, {"hosting": 4, "support": 2, "monitoring": 1})
    assert rates == {"hosting": 1.0, "support": 0.5, "monitoring": 0.25, "enhancement": 0.0}
    assert set(attach_rates(0, {}).values()) == {None}


def test_cohort_retention_by_group_hand_computed():
    """Three customers, two verticals; customer 3's partner is in both, customer 4 in none.

    retail, January cohort: customers 1 (100 -> 50 -> 0) and 3 (200 -> 200 -> 260):
        age 0: 300 / 300 = 1.0; age 1: 250 / 300; age 2: 260 / 300
    food, January: customer 3 alone: 1.0, 1.0, 1.3; February: customer 2 (400 -> 100): 1.0, 0.25
    no vertical, February: customer 4 (50 -> 75): 1.0, 1.5
    """
    customers = {
        1: (JAN, {0: 100.0, 1: 50.0, 2: 0.0}),
        2: (FEB, {0: 400.0, 1: 100.0}),
        3: (JAN, {0: 200.0, 1: 200.0, 2: 260.0}),
        4: (FEB, {0: 50.0, 1: 75.0}),
    }
    groups = {1: ["retail"], 2: ["food"], 3: ["retail", "food"], 4: []}
    table = retention_by_group(customers, groups)
    assert set(table) == {"retail", "food", NONE_GROUP}
    assert table["retail"] == {JAN: [1.0, 250 / 300, 260 / 300]}
    assert table["food"] == {JAN: [1.0, 1.0, 1.3], FEB: [1.0, 0.25]}
    assert table[NONE_GROUP] == {FEB: [1.0, 1.5]}


@given(
    st.dictionaries(
        st.integers(0, 20),
        st.tuples(
            st.sampled_from([JAN, FEB]),
            st.dictionaries(st.integers(0, 3), st.floats(0, 1e5), min_size=1),
        ),
        max_size=8,
    )
)
def test_one_group_is_the_whole(customers):
    """Every customer in one single group: the group's table is the ungrouped table."""
    whole = retention_by_group(customers, {customer: ["all"] for customer in customers})
    first, by_age = {}, {}
    for cohort, ages in customers.values():
        first[cohort] = first.get(cohort, 0.0) + ages.get(0, 0.0)
        for age, amount in ages.items():
            by_age[(cohort, age)] = by_age.get((cohort, age), 0.0) + amount
    assert whole.get("all", {}) == cohort_retention(first, by_age)
