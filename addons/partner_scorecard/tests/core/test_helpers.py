from datetime import date

import pytest

from ...core import charts, matching, metric_import, periods, ranking


def test_quarters_and_other_lengths():
    assert periods.period_bounds(date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert periods.period_bounds(date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.period_bounds(date(2024, 2, 10), 1) == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods.period_bounds(date(2026, 9, 1), 6) == (date(2026, 7, 1), date(2026, 12, 31))
    assert periods.period_name(date(2026, 10, 1)) == "2026-Q4"
    assert periods.previous_period_start(date(2026, 1, 1)) == date(2025, 10, 1)
    with pytest.raises(ValueError):
        periods.period_bounds(date(2026, 1, 1), 5)


def test_ranking_ties_and_groups():
    ranks = ranking.rank_within_groups(
        [(1, "impl", 80), (2, "impl", 80), (3, "impl", 60), (4, "oem", 50)]
    )
    assert ranks == {1: 1, 2: 1, 3: 3, 4: 1}


def test_same_customer_by_vat_domain_or_name():
    a = matching.customer_keys("Nordic Parts AB", "SE 5566778899", "buyer@nordicparts.se")
    assert a & matching.customer_keys("nordic parts", "", "")
    assert a & matching.customer_keys("Other", "se5566778899", "")
    assert a & matching.customer_keys("Other", "", "ceo@NordicParts.se")
    # a public mail domain proves nothing
    assert not matching.customer_keys("X", "", "a@gmail.com") & matching.customer_keys(
        "Y", "", "b@gmail.com"
    )


def test_import_lists_every_bad_row():
    text = (
        "partner,metric,period,value,note\n"
        "ACME,csat,2026-Q3,80,\n"
        "ACME,nope,2026-Q3,80,\n"
        "Ghost,csat,2026-Q9,abc,\n"
        "ACME,csat,2026-Q3,81,\n"
    )
    rows, errors = metric_import.parse(text, {"ACME": 1}, {"csat": 2}, {"2026-Q3": 3})
    assert len(rows) == 1
    assert [line for line, _msg in errors] == [3, 4, 4, 4, 5]
    assert "same partner, metric and period as line 2" in errors[-1][1]


def test_import_requires_columns():
    rows, errors = metric_import.parse("partner,value\nA,1\n", {}, {}, {})
    assert rows == [] and errors == [(1, "missing column(s): metric, period")]


def test_charts_geometry():
    bars = charts.bar_chart([("A", 100.0), ("B", 25.0)], width=300, label_width=100)
    assert [b["width"] for b in bars["bars"]] == [160.0, 40.0]  # 40 px kept for the value
    line = charts.line_chart([("Q1", 50.0), ("Q2", None), ("Q3", 100.0)], width=200, height=100)
    assert line["polyline"].count(",") == 2  # the missing period is skipped, not drawn as 0
    radar = charts.radar_chart([("a", 50.0), ("b", 50.0), ("c", None)])
    assert len(radar["polygon"].split()) == 3


def test_line_chart_grid_follows_the_scale():
    """Grid lines sit at 0, half and all of the scale, whatever the scale (an MRR in thousands
    as well as a 0-100 score), so a label never sits away from its line."""
    chart = charts.line_chart(
        [("Jan", 0.0), ("Feb", 2400.0)], width=200, height=100, max_value=2400
    )
    assert [(g["y"], g["text"]) for g in chart["grid"]] == [
        (72.0, "0"),
        (50.0, "1200"),
        (28.0, "2400"),
    ]
    # the top value is drawn on the top grid line
    assert chart["dots"][1]["y"] == chart["grid"][2]["y"]
    score = charts.line_chart([("Q1", 50.0)], width=200, height=100)
    assert [g["text"] for g in score["grid"]] == ["0", "50", "100"]


def _box(points):
    xs = [float(p.split(",")[0]) for p in points.split()]
    ys = [float(p.split(",")[1]) for p in points.split()]
    return max(xs) - min(xs), max(ys) - min(ys)


def test_a_steady_series_is_drawn_with_a_visible_area():
    """A flat line has a box without height (a browser measures it as invisible); the area under
    it has height, so a steady MRR shows as a band, not as nothing."""
    flat = charts.line_chart([(m, 700.0) for m in ("Jan", "Feb", "Mar")], max_value=700.0)
    assert _box(flat["polyline"])[1] == 0.0
    width, height = _box(flat["area"])
    assert width > 0 and height == flat["height"] - 2 * 28
    single = charts.line_chart([("Q1", 40.0)])
    assert all(side > 0 for side in _box(single["area"]))
    assert charts.line_chart([("Q1", None)])["area"] == ""
