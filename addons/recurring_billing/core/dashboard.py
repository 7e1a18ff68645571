"""The revenue dashboard's figures, assembled from grouped query results.

Models fetch in batch (a handful of grouped queries) and hand plain values here; this module
turns them into one JSON-ready dictionary the web client only formats.  Ratios are fractions
(0.2 is 20 %), ``None`` when undefined (nothing to divide by).
"""

import calendar
from datetime import date, timedelta

from . import metrics
from .ledger import CHURN, CONTRACTION, EXPANSION, REACTIVATION, TYPES
from .periods import MONTHS


def _month_end(day):
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _next_month(day):
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def mrr_series(date_from, date_to, opening_by_layer, monthly_by_layer):
    """MRR at the window's start, then at each month end inside it, then at its end.

    :param opening_by_layer: ``{layer: MRR on date_from}``
    :param monthly_by_layer: ``{(first day of month, layer): sum of the movements of that month
        after date_from and up to date_to}``
    :return: ``[{"date", "mrr", "by_layer": {layer: mrr}}]``
    """
    running = dict(opening_by_layer)
    points = [{"date": date_from, "mrr": sum(running.values()), "by_layer": dict(running)}]
    month = date_from.replace(day=1)
    while month <= date_to:
        for (start, layer), amount in monthly_by_layer.items():
            if start == month:
                running[layer] = running.get(layer, 0.0) + amount
        day = min(_month_end(month), date_to)
        if day > date_from:
            points.append({"date": day, "mrr": sum(running.values()), "by_layer": dict(running)})
        month = _next_month(month)
    return points


def movements_by_month(date_from, date_to, monthly_by_type):
    """One bar group per month of the window: the movements of each type in that month.

    :param monthly_by_type: ``{(first day of month, movement type): sum of the movements of
        that month after date_from and up to date_to}``
    :return: ``[{"month": first day (ISO), "by_type": {type: amount}}]``, every type of
        :data:`~.ledger.TYPES` present (0.0 when none), months without movement included, so a
        chart's bars line up with the months of the window
    """
    rows = []
    month = (date_from + timedelta(days=1)).replace(day=1)
    while month <= date_to:
        rows.append(
            {
                "month": month.isoformat(),
                "by_type": {kind: monthly_by_type.get((month, kind), 0.0) for kind in TYPES},
            }
        )
        month = _next_month(month)
    return rows


def partner_rows(line_rows, mrr_by_partner):
    """Attach rates and margin per partner.

    :param line_rows: ``[(partner, periodicity, subscriptions, with hosting, with support,
        shared wholesale per period, resale per period)]`` over the running lines of active
        subscriptions, the amounts only of recurring lines with a resale price
    :param mrr_by_partner: ``{partner: MRR from the ledger}``
    :return: ``{partner: {...}}`` with monthly amounts
    """
    rows = {}
    for partner, periodicity, subs, hosting, support, wholesale, resale in line_rows:
        row = rows.setdefault(
            partner,
            {"subscriptions": 0, "hosting": 0, "support": 0, "wholesale": 0.0, "resale": 0.0},
        )
        months = MONTHS[periodicity]
        row["subscriptions"] += subs
        row["hosting"] += hosting
        row["support"] += support
        row["wholesale"] += (wholesale or 0.0) / months
        row["resale"] += (resale or 0.0) / months
    for partner in mrr_by_partner:
        rows.setdefault(
            partner,
            {"subscriptions": 0, "hosting": 0, "support": 0, "wholesale": 0.0, "resale": 0.0},
        )
    for partner, row in rows.items():
        row["mrr"] = mrr_by_partner.get(partner, 0.0)
        row["hosting_attach"] = metrics.ratio(row["hosting"], row["subscriptions"])
        row["support_attach"] = metrics.ratio(row["support"], row["subscriptions"])
        row["margin"] = row["resale"] - row["wholesale"]
        row["margin_rate"] = metrics.ratio(row["margin"], row["resale"])
    return rows


def build(
    date_from,
    date_to,
    opening_by_layer,
    monthly_by_layer,
    rates,
    cohorts,
    partners,
):
    """The dashboard's dictionary (dates as ISO strings).

    :param rates: the result of ``billing.mrr.movement._churn_rates`` (start MRR, movements by
        type, churn ratios, GRR, NRR)
    :param cohorts: ``{cohort month: [retention by age]}``, cohorts before the window left out
    :param partners: ``{(partner id, partner name): row}`` from :func:`partner_rows`
    """
    series = mrr_series(date_from, date_to, opening_by_layer, monthly_by_layer)
    end = series[-1]
    movements = rates["movements"]
    totals = {
        key: sum(row[key] for row in partners.values())
        for key in ("subscriptions", "hosting", "support", "wholesale", "resale", "margin")
    }
    cohort_rows = [
        {"cohort": cohort.isoformat(), "retention": retention}
        for cohort, retention in sorted(cohorts.items())
        if cohort >= date_from.replace(day=1)
    ]
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "start_mrr": rates["start_mrr"],
        "mrr": end["mrr"],
        "arr": end["mrr"] * 12,
        "mrr_growth": metrics.ratio(end["mrr"] - rates["start_mrr"], rates["start_mrr"]),
        "mrr_by_layer": dict(sorted(end["by_layer"].items())),
        "series": [
            {"date": point["date"].isoformat(), "mrr": point["mrr"], "by_layer": point["by_layer"]}
            for point in series
        ],
        "movements": {kind: movements.get(kind, 0.0) for kind in TYPES},
        "lost": -(movements.get(CHURN, 0.0) + movements.get(CONTRACTION, 0.0)),
        "expansion": movements.get(EXPANSION, 0.0),
        "reactivation": movements.get(REACTIVATION, 0.0),
        "gross_mrr_churn": rates["gross_mrr_churn"],
        "net_mrr_churn": rates["net_mrr_churn"],
        "grr": rates["grr"],
        "nrr": rates["nrr"],
        "cohorts": {
            "ages": max((len(row["retention"]) for row in cohort_rows), default=0),
            "rows": cohort_rows,
        },
        "partners": [
            {"id": partner_id, "name": name, **row}
            for (partner_id, name), row in sorted(
                partners.items(), key=lambda item: (-item[1]["mrr"], item[0][1])
            )
        ],
        "hosting_attach": metrics.ratio(totals["hosting"], totals["subscriptions"]),
        "support_attach": metrics.ratio(totals["support"], totals["subscriptions"]),
        "margin": totals["margin"],
        "margin_rate": metrics.ratio(totals["margin"], totals["resale"]),
    }
