"""PostgreSQL array literals for bulk writes through ``unnest``.

Passing a Python list as a query parameter makes psycopg2 spell out ``ARRAY[1, 2, ...]``, which the
server then parses as one expression per element: slow for tens of thousands of rows. A single
array literal (``'{1,2,NULL}'``) parses an order of magnitude faster.
"""


def array_literal(values):
    """Text form of a one-dimensional array; ``None`` becomes NULL, strings are quoted.

    >>> array_literal([1, None, 2.5])
    '{1,NULL,2.5}'
    >>> array_literal(['a "b"', None, "c\\\\d", True])
    '{"a \\\\"b\\\\"",NULL,"c\\\\\\\\d",true}'
    """
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
