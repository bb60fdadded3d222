"""Forms of the indicators pages: the figures upload, one figure's edit, the dashboard's filters, a county figure."""

from django import forms

from departments.forms import ImportFileForm
from departments.models import Unit
from workflows.forms import ChineseForm, DateInput

from .models import FIGURE_FIELDS, SchoolYearFigures, Stage

YEAR_RANGE = "年度应在 2000–2100 之间"
YEAR_ERRORS = {"invalid": "年度应为四位数字", "min_value": YEAR_RANGE, "max_value": YEAR_RANGE}


def year_field(required=True):
    """The year of the plan's figures, with its Chinese errors: one definition for every form here."""
    errors = {"required": "请填写年度", **YEAR_ERRORS} if required else YEAR_ERRORS
    return forms.IntegerField(label="年度", required=required, min_value=2000, max_value=2100, error_messages=errors)


class FiguresUploadForm(ImportFileForm):
    """The file (.xlsx, or .csv), checked as every import is, and a year that only confirms the file's: the
    template states its year (``imports.template.stated_year``); a CSV file states none and needs it."""

    year = year_field(required=False)
    field_order = ["file", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["dry_run"]  # every upload is only checked until it is confirmed
        self.fields["year"].label = "年度（核对，可不填）"
        self.fields[
            "year"
        ].help_text = "年度以模板为准（工作表名“××××年学校数据”）；填写时须与文件的年度一致，CSV 文件须填写"


class FigureEditForm(ChineseForm):
    field = forms.ChoiceField(
        label="项目",
        choices=[(name, SchoolYearFigures._meta.get_field(name).verbose_name) for name in FIGURE_FIELDS],
        error_messages={"required": "请选择要修改的项目", "invalid_choice": "没有这一项数据"},
    )
    value = forms.CharField(label="新值", max_length=30, error_messages={"required": "请填写新值"})
    reason = forms.CharField(label="修改原因", max_length=200, required=False)


class RaiseShortfallsForm(ChineseForm):
    """The year whose shortfalls become rectification items, and the deadline the plan office sets."""

    year = year_field()
    deadline = forms.DateField(
        label="整改期限",
        widget=DateInput,
        error_messages={"required": "请填写整改期限", "invalid": "整改期限应为日期，如 2026-06-30"},
    )


class LedgerFilterForm(ChineseForm):
    """The ledger's filters; an invalid value is ignored (the ledger shows everything the user may see)."""

    year = year_field(required=False)
    status = forms.ChoiceField(label="状态", required=False)
    school = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .reads.ledger import STATUS_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = STATUS_CHOICES

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {"year": data.get("year"), "status": data.get("status") or None, "school": data.get("school")}


DASHBOARD_YEAR_ERRORS = {"required": "请选择年度", "invalid_choice": "没有这一年度的数据"}


class DashboardFilterForm(ChineseForm):
    """The dashboard's year, stage and township. Choices are the stored years and the townships with schools."""

    year = forms.TypedChoiceField(label="年度", coerce=int, error_messages=DASHBOARD_YEAR_ERRORS)
    stage = forms.ChoiceField(
        label="学段",
        choices=Stage.choices,
        initial=Stage.PRIMARY,
        error_messages={"required": "请选择学段", "invalid_choice": "学段应为小学或初中"},
    )
    township = forms.ModelChoiceField(
        label="乡镇（街道）",
        queryset=Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, school_profiles__isnull=False).distinct(),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "没有这个乡镇（街道）"},
    )

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["year"].choices = [(year, f"{year}年") for year in reversed(years)]


class CountyFigureForm(ChineseForm):
    """One county-level figure: which indicator, the value, a note. ``measures``: those the user may enter."""

    year = year_field()
    measure = forms.ChoiceField(
        label="指标", error_messages={"required": "请选择指标", "invalid_choice": "您不能填报这一项指标"}
    )
    value = forms.CharField(label="数值", max_length=30, error_messages={"required": "请填写数值"})
    note = forms.CharField(label="说明（数据来源等）", max_length=200, required=False)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [
            (measure.key, f"{measure.label}（{measure.unit}）" if measure.unit else measure.label)
            for measure in measures
        ]
