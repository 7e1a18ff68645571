"""Geometry of the small SVG charts the portal and the PDF report draw (no JavaScript needed).

Each function returns plain dicts that a QWeb template turns into SVG elements, so the same chart
renders in the browser and in the PDF.
"""

import math


def bar_chart(items, width=480, bar_height=22, gap=8, label_width=170, max_value=100.0):
    """Horizontal bars for (label, value) pairs; a None value is drawn as an empty 'missing' bar.

    The last 40 pixels stay free for the value printed after the bar.

    >>> chart = bar_chart([("Sales", 50.0), ("Ops", None)], width=270, label_width=70)
    >>> [(b["label"], b["width"], b["missing"]) for b in chart["bars"]], chart["height"]
    ([('Sales', 80.0, False), ('Ops', 0.0, True)], 68)
    """
    span = width - label_width - 40
    bars = []
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        share = 0.0 if value is None else max(0.0, min(value, max_value)) / max_value
        bars.append(
            {
                "label": label,
                "value": value,
                "text": "missing" if value is None else f"{value:.0f}",
                "missing": value is None,
                "x": label_width,
                "y": y,
                "width": round(span * share, 1),
                "height": bar_height,
                "text_x": label_width + round(span * share, 1) + 4,
                "text_y": y + bar_height * 0.7,
                "label_y": y + bar_height * 0.7,
            }
        )
    return {"width": width, "height": gap + len(items) * (bar_height + gap), "bars": bars}


def line_chart(points, width=480, height=180, pad=28, max_value=100.0):
    """A line over (label, value) points in order; None values break nothing, they are skipped.

    >>> chart = line_chart([("Q1", 0.0), ("Q2", 100.0)], width=156, height=156)
    >>> chart["polyline"]
    '28.0,128.0 128.0,28.0'
    >>> chart["area"]
    '28.0,128.0 128.0,28.0 128.0,128 28.0,128'
    """
    count = len(points)
    step = (width - 2 * pad) / max(count - 1, 1)
    dots = []
    for index, (label, value) in enumerate(points):
        x = round(pad + index * step, 1)
        dot = {"label": label, "x": x, "label_y": height - 8, "value": value}
        if value is not None:
            y = round(
                height - pad - (height - 2 * pad) * max(0.0, min(value, max_value)) / max_value, 1
            )
            dot.update(y=y, text=f"{value:.0f}", text_y=y - 6)
        dots.append(dot)
    drawn = [d for d in dots if d["value"] is not None]
    polyline = " ".join(f"{d['x']},{d['y']}" for d in drawn)
    # The area between the line and the zero line: a steady series (a flat line, whose own box
    # has no height) still shows as a band, and so does a single point.
    baseline = height - pad
    area = ""
    if drawn:
        left = drawn[0]["x"] - (3 if len(drawn) == 1 else 0)
        right = drawn[-1]["x"] + (3 if len(drawn) == 1 else 0)
        top = (
            [(d["x"], d["y"]) for d in drawn]
            if len(drawn) > 1
            else [(left, drawn[0]["y"]), (right, drawn[0]["y"])]
        )
        area = " ".join(f"{x},{y}" for x, y in [*top, (right, baseline), (left, baseline)])
    # grid lines at 0, half and all of the scale (0, 50, 100 on a 0-100 scale)
    grid = [
        {"y": round(height - pad - (height - 2 * pad) * v / max_value, 1), "text": f"{v:.0f}"}
        for v in (0, max_value / 2, max_value)
    ]
    return {
        "width": width,
        "height": height,
        "polyline": polyline,
        "area": area,
        "dots": dots,
        "grid": grid,
    }


def radar_chart(items, size=260, max_value=100.0):
    """A radar (spider) chart for 3+ (label, value) axes; None is drawn at the centre.

    >>> chart = radar_chart([("a", 100.0), ("b", 100.0), ("c", 100.0)], size=200)
    >>> chart["axes"][0]["x2"], chart["axes"][0]["y2"]
    (100.0, 30.0)
    """
    centre = size / 2
    radius = size / 2 - 30
    count = max(len(items), 3)
    axes, shape = [], []
    for index, (label, value) in enumerate(items):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        cos, sin = math.cos(angle), math.sin(angle)
        share = 0.0 if value is None else max(0.0, min(value, max_value)) / max_value
        axes.append(
            {
                "label": label,
                "x2": round(centre + radius * cos, 1),
                "y2": round(centre + radius * sin, 1),
                "label_x": round(centre + (radius + 16) * cos, 1),
                "label_y": round(centre + (radius + 16) * sin + 4, 1),
            }
        )
        shape.append(
            f"{round(centre + radius * share * cos, 1)},{round(centre + radius * share * sin, 1)}"
        )
    rings = [round(radius * f, 1) for f in (0.25, 0.5, 0.75, 1.0)]
    return {
        "size": size,
        "centre": centre,
        "axes": axes,
        "polygon": " ".join(shape),
        "rings": rings,
    }


def chartjs_spec(kind, items, series_label, max_value=None, area=False):
    """What the portal's Chart.js widget draws for (label, value) items: JSON-ready, no geometry.

    ``kind`` is ``bar`` (horizontal bars), ``line`` or ``radar``; a None value stays a gap.
    The server-drawn SVG above stays the fallback and the PDF's picture.

    >>> spec = chartjs_spec("bar", [("Sales", 50.0), ("Ops", None)], "Score", max_value=100)
    >>> spec["labels"], spec["series"][0]["values"], spec["max"]
    (['Sales', 'Ops'], [50.0, None], 100)
    """
    return {
        "kind": kind,
        "labels": [label for label, _value in items],
        "series": [{"label": series_label, "values": [value for _label, value in items]}],
        "max": max_value,
        "area": area,
    }
