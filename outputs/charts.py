"""Charts drawn on the server (matplotlib, Agg), returned as SVG or PNG bytes, with Chinese text that renders.

The font is Noto Sans CJK SC (``outputs.fonts``), used for every text of every
chart. SVG glyphs are written as paths (``svg.fonttype = "path"``), so a browser
shows them without having the font.

Every chart is a ``matplotlib.figure.Figure`` of its own (never pyplot's global
state), built and saved inside ``matplotlib.rc_context`` under one lock, so two
requests drawing at once cannot interleave their rc contexts and the style is
gone from rcParams once a chart is done (only matplotlib code in another thread
drawing at that very moment could see it). Charts are small: drawing them one
at a time costs little.

Empty data gives a chart that says 暂无数据. A missing value (None, NaN) is a
gap in a line, and a bar marked "—".
"""

import math
import threading
from contextlib import contextmanager
from io import BytesIO

import matplotlib
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .fonts import ChartFontMissing, font_family, font_path

__all__ = [
    "ChartFontMissing", "bar_chart", "font_family", "font_path", "grouped_bar_chart", "histogram", "line_chart",
]  # fmt: skip

FORMATS = ("svg", "png")
PNG_DPI = 150  # sharp on high-density screens at the figure's size in CSS pixels
WIDTH = 8.0  # inches: 768 CSS pixels
NO_DATA = "暂无数据"

# Ten distinct colours (a chart of the 7 indicators needs 7); none is the threshold line's red.
PALETTE = [
    "#2F6DB5", "#E08A2E", "#3A9E6F", "#8A5FB8", "#B5651D", "#5C6B7A", "#1B9AAA", "#D4A017", "#7A9A01", "#A23B72",
]  # fmt: skip
THRESHOLD_COLOR = "#C9485B"
TEXT_COLOR, MUTED_COLOR, GRID_COLOR = "#1F2933", "#616E7C", "#E4E7EB"

_draw_lock = threading.Lock()


def _style(family):
    return {
        "font.family": [family],
        "font.size": 10,
        "text.color": TEXT_COLOR,
        "axes.titlesize": 13,
        "axes.titlelocation": "left",
        "axes.titlepad": 12,
        "axes.labelcolor": MUTED_COLOR,
        "axes.edgecolor": MUTED_COLOR,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=PALETTE),
        "grid.color": GRID_COLOR,
        "grid.linewidth": 0.8,
        "xtick.color": MUTED_COLOR,
        "ytick.color": MUTED_COLOR,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "svg.fonttype": "path",
        "svg.hashsalt": "outputs.charts",  # ids from content: the same chart gives the same bytes
    }


@contextmanager
def _figure(figsize):
    """A new figure with the charts' style in force until the block ends; one block at a time."""
    family = font_family()
    with _draw_lock, matplotlib.rc_context(_style(family)):
        figure = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(figure)
        yield figure


def _save(figure, fmt):
    buffer = BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def _check_format(fmt):
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {FORMATS}, not {fmt!r}")


def _number(value):
    """A float, NaN for a missing value (None, NaN, infinity); Decimal and int are accepted."""
    number = math.nan if value is None else float(value)
    return number if math.isfinite(number) else math.nan


def _label(value, percent=False):
    if math.isnan(value):
        return "—"
    if percent:
        return f"{value:.1%}"
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _is_whole(values):
    return all(math.isnan(value) or value.is_integer() for value in values)


def _no_data_chart(title, fmt):
    with _figure((WIDTH, 2.8)) as figure:
        axes = figure.add_subplot()
        axes.set_title(title)
        axes.set_axis_off()
        axes.text(0.5, 0.5, NO_DATA, transform=axes.transAxes, ha="center", va="center", fontsize=14, color=MUTED_COLOR)
        return _save(figure, fmt)


def _draw_threshold(axes, value, text, *, vertical):
    """A dashed line at ``value``, labelled at its end: the top of a vertical line, the right of a horizontal one."""
    style = {"color": THRESHOLD_COLOR, "fontsize": 9, "textcoords": "offset points", "va": "bottom"}
    if vertical:
        axes.axvline(value, color=THRESHOLD_COLOR, linestyle="--", linewidth=1.2)
        axes.annotate(text, (value, 1), xycoords=("data", "axes fraction"), xytext=(0, 3), ha="center", **style)
    else:
        axes.axhline(value, color=THRESHOLD_COLOR, linestyle="--", linewidth=1.2)
        axes.annotate(text, (1, value), xycoords=("axes fraction", "data"), xytext=(-2, 3), ha="right", **style)


def _bar_size(count, horizontal):
    """Room for every label: about a third of an inch per bar, so 40 units' names never touch."""
    if horizontal:
        return (WIDTH, max(2.8, 1.4 + 0.32 * count))
    return (max(WIDTH, 1.6 + 0.45 * count), 4.5)


def _draw_bars(axes, labels, values, *, title, value_label, threshold, horizontal, percent):
    positions = range(len(labels))
    heights = [0.0 if math.isnan(value) else value for value in values]
    value_axis = axes.xaxis if horizontal else axes.yaxis
    if horizontal:
        bars = axes.barh(positions, heights, height=0.62, color=PALETTE[0])
        axes.set_yticks(positions, labels=labels)
        axes.set_ylim(len(labels) - 0.4, -0.6)  # the first label at the top; half a gap before and after
        axes.set_xlabel(value_label)
        axes.grid(axis="x")
        axes.tick_params(axis="y", length=0)
    else:
        bars = axes.bar(positions, heights, width=0.62, color=PALETTE[0])
        rotation = {"rotation": 45, "ha": "right", "rotation_mode": "anchor"} if len(labels) > 6 else {}
        axes.set_xticks(positions, labels=labels, **rotation)
        axes.set_xlim(-0.6, len(labels) - 0.4)
        axes.set_ylabel(value_label)
        axes.grid(axis="y")
        axes.tick_params(axis="x", length=0)
    axes.bar_label(bars, labels=[_label(value, percent) for value in values], padding=3, fontsize=9)
    top = max([*heights, threshold or 0, 0])
    bottom = min([*heights, threshold or 0, 0])
    if percent:
        value_axis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        if bottom >= 0 and top <= 1:
            value_axis.set_ticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
            top = 1.0
    elif _is_whole(values):
        value_axis.set_major_locator(MaxNLocator(integer=True))  # counts: no tick at 2.5 tasks
    span = (top - bottom) or 1.0
    limits = (bottom - 0.15 * span if bottom < 0 else 0, top + 0.15 * span)  # room for the value labels
    (axes.set_xlim if horizontal else axes.set_ylim)(*limits)
    if threshold is not None:
        _draw_threshold(axes, threshold, _label(threshold, percent), vertical=horizontal)
    axes.set_title(title)


def bar_chart(labels, values, *, title, value_label, threshold=None, horizontal=True, fmt="svg", percent=False):
    """One bar per label, its value written at the bar's end; the figure grows with the number of bars.

    ``percent``: the values are fractions (0.873) shown as percentages (87.3%).
    ``threshold``: a dashed line at that value, labelled with it.
    """
    _check_format(fmt)
    labels, values = [str(label) for label in labels], [_number(value) for value in values]
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    if all(math.isnan(value) for value in values):
        return _no_data_chart(title, fmt)
    with _figure(_bar_size(len(labels), horizontal)) as figure:
        _draw_bars(
            figure.add_subplot(),
            labels,
            values,
            title=title,
            value_label=value_label,
            threshold=None if threshold is None else float(threshold),
            horizontal=horizontal,
            percent=percent,
        )
        return _save(figure, fmt)


def grouped_bar_chart(x_labels, series, *, title, value_label, fmt="svg"):
    """Vertical bars side by side for each x label, one colour per entry of ``series`` (name → one value per x
    label, None for none), a legend above, each bar's value at its top: e.g. items on time and late per year.
    An x label with no value in any series is marked "—" once."""
    _check_format(fmt)
    x_labels = [str(label) for label in x_labels]
    bars = {str(name): [_number(value) for value in values] for name, values in series.items()}
    for name, values in bars.items():
        if len(values) != len(x_labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(x_labels)} x labels")
    if not x_labels or not bars or all(math.isnan(value) for values in bars.values() for value in values):
        return _no_data_chart(title, fmt)
    width = 0.8 / len(bars)
    empty = [all(math.isnan(values[x]) for values in bars.values()) for x in range(len(x_labels))]
    with _figure((max(WIDTH, 1.6 + 0.25 * len(x_labels) * len(bars)), 4.2)) as figure:
        axes = figure.add_subplot()
        for index, (name, values) in enumerate(bars.items()):
            positions = [x + (index - (len(bars) - 1) / 2) * width for x in range(len(x_labels))]
            drawn = axes.bar(positions, [0.0 if math.isnan(v) else v for v in values], width=width * 0.92, label=name)
            # A group with nothing at all is marked once, at its middle, not by a "—" per bar.
            labels = ["" if empty[x] and index != len(bars) // 2 else _label(v) for x, v in enumerate(values)]
            axes.bar_label(drawn, labels=labels, padding=2, fontsize=8)
        axes.set_xticks(range(len(x_labels)), labels=x_labels)
        axes.tick_params(axis="x", length=0)
        if _is_whole([value for values in bars.values() for value in values]):
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if len(bars) > 1:
            figure.legend(loc="outside upper right", ncols=len(bars))
        axes.margins(y=0.12)
        axes.grid(axis="y")
        axes.set_ylabel(value_label)
        axes.set_title(title)
        return _save(figure, fmt)


def histogram(values, *, title, value_label, count_label, bins=None, fmt="svg"):
    """How many values fall in each interval, the count written on each bar.

    ``bins``: a number of bins or their edges (e.g. ``range(0, 101, 10)`` for scores); numpy's "auto" by default.
    """
    _check_format(fmt)
    values = [value for value in map(_number, values) if not math.isnan(value)]
    if not values:
        return _no_data_chart(title, fmt)
    with _figure((WIDTH, 4.2)) as figure:
        axes = figure.add_subplot()
        counts, _edges, bars = axes.hist(values, bins="auto" if bins is None else bins, color=PALETTE[0])
        for bar in bars:
            bar.set_edgecolor("white")
        axes.bar_label(bars, labels=[f"{count:.0f}" if count else "" for count in counts], padding=2, fontsize=9)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.margins(y=0.12)
        axes.grid(axis="y")
        axes.set_xlabel(value_label)
        axes.set_ylabel(count_label)
        axes.set_title(title)
        return _save(figure, fmt)


def line_chart(x_labels, series, *, title, value_label, threshold=None, threshold_label=None, fmt="svg"):
    """One line per entry of ``series`` (name → one value per x label; None is a gap); a legend if more than one.

    ``threshold``: a dashed horizontal line, labelled with ``threshold_label`` (or its value).
    """
    _check_format(fmt)
    x_labels = [str(label) for label in x_labels]
    lines = {str(name): [_number(value) for value in values] for name, values in series.items()}
    for name, values in lines.items():
        if len(values) != len(x_labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(x_labels)} x labels")
    if not x_labels or all(math.isnan(value) for values in lines.values() for value in values):
        return _no_data_chart(title, fmt)
    with _figure((WIDTH, 4.2)) as figure:
        axes = figure.add_subplot()
        positions = range(len(x_labels))
        for name, values in lines.items():
            axes.plot(positions, values, marker="o", markersize=4, linewidth=2, label=name)
        rotation = {"rotation": 45, "ha": "right", "rotation_mode": "anchor"} if len(x_labels) > 12 else {}
        axes.set_xticks(positions, labels=x_labels, **rotation)
        if threshold is not None:
            _draw_threshold(axes, float(threshold), threshold_label or _label(float(threshold)), vertical=False)
        if _is_whole([value for values in lines.values() for value in values]):
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if len(lines) > 1:
            figure.legend(loc="outside upper right", ncols=len(lines))
        axes.margins(y=0.12)
        axes.set_xlim(-0.3, len(x_labels) - 0.7)  # every x label, a missing value at either end a gap too
        axes.grid(axis="y")
        axes.set_ylabel(value_label)
        axes.set_title(title)
        return _save(figure, fmt)
