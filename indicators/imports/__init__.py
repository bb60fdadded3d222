"""The yearly figures file: the template to download, and the checked, confirmed import."""

from .columns import COLUMNS
from .figures import FiguresCheck, apply_figures, check_figures
from .template import build_template

__all__ = ["COLUMNS", "FiguresCheck", "apply_figures", "build_template", "check_figures"]
