"""Charts: Chinese renders in the shipped font, in SVG as paths, without touching anyone else's rcParams."""

import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from io import BytesIO
from itertools import pairwise

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from outputs import charts
from outputs.charts import (
    ChartFontMissing,
    bar_chart,
    font_family,
    font_path,
    grouped_bar_chart,
    histogram,
    line_chart,
)

UNITS = ["县教委", "县发展改革委", "县财政局", "县人力社保局", "县住房城乡建委"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CHARTS = {
    "bar": lambda fmt: bar_chart(
        UNITS,
        [0.95, 0.8, None, Decimal("0.5"), 1],
        title="按时完成率",
        value_label="按时完成率",
        threshold=0.9,
        percent=True,
        fmt=fmt,
    ),
    "vertical bar": lambda fmt: bar_chart(
        UNITS, [3, -2, 0, 12, 7], title="逾期任务", value_label="任务数", horizontal=False, threshold=5, fmt=fmt
    ),
    "histogram": lambda fmt: histogram(
        [62, 75.5, 81, 84, 88, 90, 90, 93, None],
        title="考核得分分布",
        value_label="得分",
        count_label="单位数",
        fmt=fmt,
    ),
    "line": lambda fmt: line_chart(
        ["2021年", "2022年", "2023年", "2024年"],
        {"小学": [0.52, 0.48, None, 0.41], "初中": [0.47, 0.45, 0.44, 0.4]},
        title="综合差异系数",
        value_label="差异系数",
        threshold=0.5,
        threshold_label="小学≤0.50",
        fmt=fmt,
    ),
    "grouped bars": lambda fmt: grouped_bar_chart(
        ["2022年", "2023年", "2024年"],
        {"按时完成": [12, 30, None], "逾期": [3, Decimal(1), None]},
        title="各年度任务按时与逾期",
        value_label="任务数",
        fmt=fmt,
    ),
}
EMPTY = {
    "bar": lambda: bar_chart([], [], title="按时完成率", value_label="按时完成率"),
    "bar of missing values": lambda: bar_chart(UNITS[:2], [None, None], title="按时完成率", value_label="率"),
    "histogram": lambda: histogram([], title="考核得分分布", value_label="得分", count_label="单位数"),
    "line": lambda: line_chart([], {}, title="月度趋势", value_label="任务数"),
    "line of missing values": lambda: line_chart(["1月"], {"办结": [None]}, title="月度趋势", value_label="任务数"),
    "grouped bars": lambda: grouped_bar_chart([], {}, title="各年度任务", value_label="任务数"),
    "grouped bars of missing values": lambda: grouped_bar_chart(
        ["2027年"], {"按时": [None], "逾期": [None]}, title="各年度任务", value_label="任务数"
    ),
}


def glyph_id(char):
    """The id matplotlib gives a glyph of the charts' font in an SVG (font name and glyph index)."""
    font = FT2Font(str(font_path()))
    return f'id="{font.postscript_name}-{font.get_char_index(ord(char)):x}"'


def test_the_font_of_mplfonts_is_registered_and_is_the_family_of_every_text():
    assert font_family() == "Noto Sans CJK SC"
    assert str(font_path()) in {font.fname for font in font_manager.fontManager.ttflist}
    with charts._figure((4, 3)) as figure:
        axes = figure.add_subplot()
        axes.set_title("按时完成率")
        axes.set_xticks([0, 1], labels=["县教委", "县财政局"])
        figure.draw_without_rendering()
        texts = [axes.title, *axes.get_xticklabels(), *axes.get_yticklabels()]
        assert {str(font_manager.findfont(text.get_fontproperties())) for text in texts} == {str(font_path())}


def test_svg_draws_the_chinese_as_paths_of_that_font_with_no_font_needed_in_the_browser():
    svg = bar_chart(["教育委员会"], [1], title="按时完成率", value_label="任务数").decode()
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    assert "<text" not in svg
    assert "font-family" not in svg
    for char in "教育按率":
        assert glyph_id(char) in svg


@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("chart", CHARTS)
def test_chinese_labels_render_without_a_missing_glyph_warning(chart, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CHARTS[chart](fmt)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_warning_check_above_fails_with_matplotlib_default_font(monkeypatch, fmt):
    monkeypatch.setattr(charts, "font_family", lambda: "DejaVu Sans")
    with pytest.warns(UserWarning, match=r"Glyph \d+ .* missing from font\(s\) DejaVu Sans"):
        CHARTS["bar"](fmt)


@pytest.mark.parametrize("chart", CHARTS)
def test_png_is_a_png_that_decodes(chart):
    png = CHARTS[chart]("png")
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(BytesIO(png))
    image.load()
    assert image.format == "PNG"
    assert image.width >= charts.WIDTH * charts.PNG_DPI


@pytest.mark.parametrize("chart", EMPTY)
def test_empty_data_gives_a_chart_that_says_no_data(chart):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = EMPTY[chart]().decode()
    assert all(glyph_id(char) in svg for char in charts.NO_DATA)


def svg_height(svg):
    return float(re.search(rb'<svg[^>]* height="([\d.]+)pt"', svg).group(1))


def test_a_bar_chart_grows_with_its_bars_and_forty_labels_never_touch():
    labels = [f"{name}{n}" for n in range(8) for name in UNITS]
    assert len(labels) == 40
    small = bar_chart(labels[:5], range(5), title="按时完成率", value_label="率")
    large = bar_chart(labels, range(40), title="按时完成率", value_label="率")
    assert svg_height(large) > 4 * svg_height(small)

    with charts._figure(charts._bar_size(len(labels), horizontal=True)) as figure:
        axes = figure.add_subplot()
        charts._draw_bars(
            axes,
            labels,
            [float(n) for n in range(40)],
            title="按时完成率",
            value_label="率",
            threshold=None,
            horizontal=True,
            percent=False,
        )
        figure.draw_without_rendering()
        boxes = sorted((label.get_window_extent() for label in axes.get_yticklabels()), key=lambda box: box.y0)
    assert len(boxes) == 40
    assert all(lower.y1 < upper.y0 for lower, upper in pairwise(boxes))


def test_values_are_written_at_the_bars_ends():
    svg = bar_chart(["县教委"], [0.873], title="按时完成率", value_label="率", percent=True).decode()
    assert all(glyph_id(char) in svg for char in "87.3%")


def test_grouped_bars_write_each_value_and_mark_a_missing_one():
    svg = grouped_bar_chart(["2022年"], {"按时": [17], "逾期": [None]}, title="任务", value_label="任务数").decode()
    assert all(glyph_id(char) in svg for char in "17—按逾")


def test_charts_leave_the_global_rcparams_alone_even_when_drawn_from_many_threads():
    before = {key: matplotlib.rcParams[key] for key in ["font.family", "svg.fonttype", "axes.spines.top", "font.size"]}
    expected = CHARTS["line"]("svg")
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _n: CHARTS["line"]("svg"), range(12)))
    assert set(results) == {expected}  # the same bytes every time: nothing leaked from one drawing into another
    assert {key: matplotlib.rcParams[key] for key in before} == before


def test_a_missing_font_is_a_clear_error_naming_the_package_to_install():
    with pytest.raises(ChartFontMissing, match="pip install mplfonts"):
        font_path(filename="fonts/NoSuchFont.otf")
    with pytest.raises(ChartFontMissing, match="pip install no_such_font_package"):
        font_path(package="no_such_font_package")


def test_a_wrong_format_or_mismatched_data_is_refused():
    with pytest.raises(ValueError, match="format"):
        bar_chart(UNITS, range(5), title="t", value_label="v", fmt="pdf")
    with pytest.raises(ValueError, match="5 labels but 2 values"):
        bar_chart(UNITS, [1, 2], title="t", value_label="v")
    with pytest.raises(ValueError, match="'初中' has 1 values for 2 x labels"):
        line_chart(["1月", "2月"], {"小学": [1, 2], "初中": [1]}, title="t", value_label="v")
    with pytest.raises(ValueError, match="'逾期' has 1 values for 2 x labels"):
        grouped_bar_chart(["2022年", "2023年"], {"按时": [1, 2], "逾期": [1]}, title="t", value_label="v")
