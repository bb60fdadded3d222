"""The charts' Chinese font: Noto Sans CJK SC, the file shipped in the PyPI package ``mplfonts``.

Only the file is used (found with importlib.resources), never mplfonts' own
API, which would change matplotlib's global rcParams. It is registered with
matplotlib once, on first use. A system copy of the same family (Debian's
fonts-noto-cjk ships "Noto Sans CJK SC" as a .ttc) is taken out of matplotlib's
list then, so every chart is drawn with this one file whatever the machine has:
the same glyphs, the same bytes.
"""

import importlib.resources
import threading
from pathlib import Path

from matplotlib import font_manager

FONT_PACKAGE = "mplfonts"
FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"

_font_lock = threading.Lock()
_font_family = None


class ChartFontMissing(RuntimeError):
    """The Chinese font charts need is not installed."""


def font_path(package=FONT_PACKAGE, filename=FONT_FILE):
    """Where the font file is, found in its package; ``ChartFontMissing`` if it is not there."""
    hint = f"charts need the font {filename} of the Python package {package}: pip install {package}"
    try:
        path = Path(str(importlib.resources.files(package).joinpath(filename))).resolve()
    except ImportError:
        raise ChartFontMissing(f"{package} is not installed; {hint}") from None
    if not path.is_file():
        raise ChartFontMissing(f"{path} does not exist; {hint}")
    return path


def font_family():
    """The family name of the charts' font, registered with matplotlib on first use."""
    global _font_family
    with _font_lock:
        if _font_family is None:
            path = str(font_path())
            manager = font_manager.fontManager
            manager.addfont(path)
            family = font_manager.FontProperties(fname=path).get_name()
            manager.ttflist = [font for font in manager.ttflist if font.name != family or font.fname == path]
            manager._findfont_cached.cache_clear()  # results found before the list changed
            _font_family = family
    return _font_family
