"""Forms of the indicators pages: the figures upload (a year and a file), and one figure's edit."""

from django import forms

from departments.forms import ImportFileForm

from .models import FIGURE_FIELDS, SchoolYearFigures


class FiguresUploadForm(ImportFileForm):
    """The year the file holds, and the file (.xlsx, or .csv), checked as every import is."""

    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "请填写年度", "invalid": "年度应为四位数字", "min_value": "年度应在 2000–2100 之间",
                        "max_value": "年度应在 2000–2100 之间"},
    )  # fmt: skip
    field_order = ["year", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["dry_run"]  # every upload is only checked until it is confirmed


class FigureEditForm(forms.Form):
    field = forms.ChoiceField(
        label="项目",
        choices=[(name, SchoolYearFigures._meta.get_field(name).verbose_name) for name in FIGURE_FIELDS],
        error_messages={"required": "请选择要修改的项目", "invalid_choice": "没有这一项数据"},
    )
    value = forms.CharField(label="新值", max_length=30, error_messages={"required": "请填写新值"})
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
