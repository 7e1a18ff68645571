from datetime import date

from ...core.dashboard import movements_by_month, mrr_series, partner_rows
from ...core.history import value_at
from ...core.proration import change_preview, split_by_period


def test_value_at_follows_the_changes():
    changes = [(date(2026, 6, 1), "silver", "gold"), (date(2026, 1, 1), None, "silver")]
    assert value_at(changes, date(2026, 3, 1), "gold") == "silver"
    assert value_at(changes, date(2026, 6, 1), "gold") == "gold", "a change counts from its day"
    assert value_at(changes, date(2025, 12, 1), "gold") == "silver", "earliest known tier"
    assert value_at([(date(2026, 6, 1), "silver", "gold")], date(2026, 1, 1), "gold") == "silver"
    assert value_at([], date(2026, 1, 1), "gold") == "gold", "no history: the current value"


def test_value_at_same_day_changes_keep_the_last():
    changes = [(date(2026, 6, 1), "silver", "gold"), (date(2026, 6, 1), "gold", "platinum")]
    assert value_at(changes, date(2026, 6, 1), None) == "platinum"


def test_split_by_period_cuts_at_period_ends():
    pieces = split_by_period(date(2026, 1, 1), "monthly", date(2026, 1, 17), date(2026, 2, 14))
    assert pieces == [
        (date(2026, 1, 17), date(2026, 1, 31), 15 / 31),
        (date(2026, 2, 1), date(2026, 2, 14), 14 / 28),
    ]


def test_change_preview_credits_invoiced_days_and_charges_the_new_amount():
    preview = change_preview(
        date(2026, 1, 1), "monthly", date(2026, 3, 11), date(2026, 3, 31), 310.0, 1240.0
    )
    assert (preview["start"], preview["end"], preview["days"]) == (
        date(2026, 3, 11),
        date(2026, 3, 31),
        21,
    )
    assert round(preview["credit"], 2) == 210.0
    assert round(preview["charge"], 2) == 840.0
    assert round(preview["net"], 2) == 630.0


def test_change_preview_without_invoice_and_after_the_end():
    preview = change_preview(date(2026, 1, 1), "quarterly", date(2026, 2, 1), None, 90.0, 180.0)
    # February and March of the January-March quarter: 28 + 31 of its 90 days
    assert preview["credit"] == 0.0
    assert round(preview["charge"], 6) == round(180.0 * 59 / 90, 6)
    assert (
        change_preview(
            date(2026, 1, 1), "monthly", date(2026, 3, 1), None, 1.0, 2.0, date(2026, 2, 28)
        )
        is None
    )


def test_mrr_series_month_ends_inside_the_window():
    series = mrr_series(
        date(2026, 1, 15),
        date(2026, 3, 10),
        {"hosting": 100.0},
        {(date(2026, 1, 1), "hosting"): 10.0, (date(2026, 3, 1), "application"): 5.0},
    )
    assert [(p["date"], p["mrr"]) for p in series] == [
        (date(2026, 1, 15), 100.0),
        (date(2026, 1, 31), 110.0),
        (date(2026, 2, 28), 110.0),
        (date(2026, 3, 10), 115.0),
    ]
    assert series[-1]["by_layer"] == {"hosting": 110.0, "application": 5.0}


def test_partner_rows_normalise_to_a_month_and_rate_attach():
    rows = partner_rows(
        [
            (7, "monthly", 2, 1, 2, 100.0, 150.0),
            (7, "yearly", 1, 1, 0, 1200.0, 2400.0),
            (8, "monthly", 1, 0, 0, None, None),
        ],
        {7: 500.0, 9: 40.0},
    )
    assert rows[7]["subscriptions"] == 3
    assert rows[7]["hosting_attach"] == 2 / 3
    assert rows[7]["support_attach"] == 2 / 3
    assert (rows[7]["wholesale"], rows[7]["resale"], rows[7]["margin"]) == (200.0, 350.0, 150.0)
    assert rows[7]["margin_rate"] == 150.0 / 350.0
    assert rows[7]["mrr"] == 500.0
    assert rows[8]["margin_rate"] is None
    assert rows[9]["subscriptions"] == 0 and rows[9]["hosting_attach"] is None


def test_movements_by_month_covers_every_month_of_the_window():
    """Months without movement are bars of zero, churn stays negative, the window's first day
    (excluded from it) does not open a month of its own."""
    rows = movements_by_month(
        date(2024, 1, 31),
        date(2024, 4, 10),
        {(date(2024, 2, 1), "new"): 700.0, (date(2024, 4, 1), "churn"): -200.0},
    )
    assert [row["month"] for row in rows] == ["2024-02-01", "2024-03-01", "2024-04-01"]
    assert rows[0]["by_type"]["new"] == 700.0
    assert set(rows[1]["by_type"].values()) == {0.0}
    assert rows[2]["by_type"]["churn"] == -200.0
    assert set(rows[0]["by_type"]) == {"new", "expansion", "contraction", "churn", "reactivation"}
