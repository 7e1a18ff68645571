"""Validation of a CSV of manual metric values: every row checked, nothing imported on any error.

Columns: ``partner`` (the partner's reference or exact name), ``metric`` (metric code),
``period`` (period name, e.g. 2026-Q3), ``value`` (a number), ``note`` (optional).
"""

import csv
import io

from .numbers import number_problem, parse_number

COLUMNS = ("partner", "metric", "period", "value")
TEMPLATE = (
    "partner,metric,period,value,note\nACME Channel,manual_csat,2026-Q3,87.5,Survey of July\n"
)


def parse(text, partners, metrics, periods, signed=()):
    """Parse and validate ``text``; ``partners``/``metrics``/``periods`` map a key to an id.

    ``signed`` holds the codes of the metrics that allow negative values. Values must be finite
    numbers within :data:`numbers.MAX_ABS_VALUE`.

    Returns (rows, errors): rows are dicts with partner_id, metric_id, period_id, value, note;
    errors are (line number, message) — any error means nothing may be imported.

    >>> rows, errors = parse("partner,metric,period,value\\nA,m,Q,1.5\\nB,m,Q,x\\n",
    ...                      {"A": 1}, {"m": 7}, {"Q": 3})
    >>> rows[0]["value"], errors
    (1.5, [(3, "unknown partner 'B'"), (3, "value 'x' is not a number")])
    >>> _rows, errors = parse("partner,metric,period,value\\nA,m,Q,nan\\nA,m,Q,-2\\nA,n,Q,-2\\n",
    ...                       {"A": 1}, {"m": 7, "n": 8}, {"Q": 3}, signed={"n"})
    >>> for error in errors:
    ...     print(error)
    (2, "value 'nan' is not a finite number")
    (3, "value '-2' is negative: metric 'm' does not allow negative values")
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [(1, "missing column(s): " + ", ".join(missing))]
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        problems = []
        partner_id = partners.get(row["partner"])
        if not partner_id:
            problems.append(f"unknown partner {row['partner']!r}")
        metric_id = metrics.get(row["metric"])
        if not metric_id:
            problems.append(f"unknown metric {row['metric']!r}")
        period_id = periods.get(row["period"])
        if not period_id:
            problems.append(f"unknown period {row['period']!r}")
        value = parse_number(row["value"])
        problem = number_problem(value, allow_negative=row["metric"] in signed)
        if problem == "is negative":
            problem += f": metric {row['metric']!r} does not allow negative values"
        if problem:
            problems.append(f"value {row['value']!r} {problem}")
        key = (partner_id, metric_id, period_id)
        if not problems and key in seen:
            problems.append(f"same partner, metric and period as line {seen[key]}")
        errors.extend((line, p) for p in problems)
        if not problems:
            seen[key] = line
            rows.append(
                {
                    "partner_id": partner_id,
                    "metric_id": metric_id,
                    "period_id": period_id,
                    "value": value,
                    "note": row.get("note", ""),
                }
            )
    return rows, errors
