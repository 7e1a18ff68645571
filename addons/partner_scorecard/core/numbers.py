"""Numbers that are numbers: finite, in range, with the reason when they are not.

One ``nan`` typed in a CSV once made a scorecard's overall score NaN (and JSON-RPC answered invalid
JSON); ``1e400`` parses as infinity and ``1e300`` is finite but absurd. Every value that enters the
program from outside (imports, forms, RPC) goes through :func:`number_problem`.
"""

import math

# Far above any real amount, count or percentage, far below where float arithmetic degrades.
MAX_ABS_VALUE = 1e15


def parse_number(text):
    """A float from user text (``,`` accepted as decimal mark), or None when it is no number.

    >>> parse_number("87,5"), parse_number(" 12 "), parse_number("abc"), parse_number("")
    (87.5, 12.0, None, None)
    >>> parse_number("nan") != parse_number("nan")  # parsed: refusing it is number_problem's job
    True
    """
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        return None


def number_problem(value, allow_negative=False, maximum=MAX_ABS_VALUE):
    """Why ``value`` is not acceptable (a short English phrase), or None when it is.

    >>> number_problem(12.5) is None, number_problem(-3, allow_negative=True) is None
    (True, True)
    >>> number_problem(float("nan")), number_problem(float("1e400")), number_problem(-1)
    ('is not a finite number', 'is not a finite number', 'is negative')
    >>> number_problem(1e300)
    'is above 1e+15'
    >>> number_problem(2e6, maximum=1e6), number_problem(-2e15, allow_negative=True)
    ('is above 1e+06', 'is below -1e+15')
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "is not a number"
    if not math.isfinite(value):
        return "is not a finite number"
    if value < 0 and not allow_negative:
        return "is negative"
    if value > maximum:
        return f"is above {maximum:g}"
    if value < -maximum:
        return f"is below {-maximum:g}"
    return None


def finite_or_none(value):
    """``value`` as a float when it is a finite number, else None (missing, never NaN).

    A provider that divides by zero or reads a NaN gives "no data" for that partner, not a NaN
    that would spread to the domain and overall scores.

    >>> finite_or_none(3), finite_or_none(float("nan")), finite_or_none(float("-inf"))
    (3.0, None, None)
    >>> finite_or_none(None), finite_or_none("x")
    (None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
