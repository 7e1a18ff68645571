"""How a metric's value reads for a partner: digits and unit per metric unit.

The language's separators come from Odoo (``formatLang``); this module only decides how many
decimals a unit shows and what follows the number, so the portal, the PDF and the mails agree.
"""

# unit -> (decimals, suffix); amounts carry the company's currency instead of a suffix
UNIT_FORMATS = {
    "percent": (1, "\N{NO-BREAK SPACE}%"),
    "amount": (2, ""),
    "count": (0, ""),
    "days": (1, "\N{NO-BREAK SPACE}d"),
    "hours": (1, "\N{NO-BREAK SPACE}h"),
    "ratio": (2, ""),
    "score": (1, ""),
}


def unit_digits(unit, value):
    """Decimals to show: a whole percentage, day or hour count shows none (``100 %``, not ``100.0 %``).

    >>> unit_digits("percent", 100.0), unit_digits("percent", 87.5), unit_digits("amount", 6250.0)
    (0, 1, 2)
    >>> unit_digits("count", 3.0), unit_digits("unknown", 1.25)
    (0, 2)
    """
    digits, _suffix = UNIT_FORMATS.get(unit, (2, ""))
    if unit in ("percent", "days", "hours", "score") and float(value).is_integer():
        return 0
    return digits


def with_unit(text, unit):
    """The formatted number followed by its unit.

    >>> with_unit("100", "percent"), with_unit("4.5", "hours"), with_unit("12", "count")
    ('100\\xa0%', '4.5\\xa0h', '12')
    """
    return text + UNIT_FORMATS.get(unit, (2, ""))[1]
