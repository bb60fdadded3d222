"""The working-day calendar page (工作日历) of the government office: a year's holidays and 调休 days, added and
removed by hand, loaded from the package, or marked checked. Writes go through ``workdays.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments import access
from departments.http import post_only

from . import services, statutory
from .calendar import uncovered_warning
from .forms import DayForm, RemoveDayForm, YearForm
from .models import CalendarDay, CoveredYear

REFUSED = services.REFUSED
WEEKDAYS = "一二三四五六日"


keeps_calendar = access.required(access.maintains_calendar, REFUSED)


def year_url(year):
    return f"{reverse('workdays:calendar')}?year={year}"


@login_required
@keeps_calendar
@require_safe
def calendar(request):
    """A year's exceptions to Monday-to-Friday (default: this year)."""
    form = YearForm(request.GET if "year" in request.GET else None)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return render_page(request, year, year_form=form)


def render_page(request, year, *, year_form=None, day_form=None, status=200):
    days = list(CalendarDay.objects.filter(date__year=year))
    for day in days:
        day.weekday_label = f"星期{WEEKDAYS[day.date.weekday()]}"
    covered = CoveredYear.objects.filter(year=year).select_related("loaded_by").first()
    context = {
        "year": year,
        "year_form": year_form if year_form is not None else YearForm(initial={"year": year}),
        "day_form": day_form or DayForm(),
        "days": days,
        "holidays": sum(1 for day in days if not day.is_workday),
        "worked": sum(1 for day in days if day.is_workday),
        "covered": covered,
        "warning": "" if covered else uncovered_warning([year]),
        "package_covers": statutory.covers(year),
        "source": statutory.SOURCE,
        "previous_year": year - 1 if year > services.FIRST_YEAR else None,
        "next_year": year + 1 if year < services.LAST_YEAR else None,
    }
    return render(request, "workdays/calendar.html", context, status=status)


def posted_year(request, fallback=None):
    form = YearForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["year"]
    return fallback or timezone.localdate().year


def refuse(request, year, errors, **forms):
    for message in errors:
        messages.error(request, message)
    return render_page(request, year, status=400, **forms)


@login_required
@post_only("workdays:calendar")
@keeps_calendar
def add_day(request):
    """A holiday on a weekday or a weekend day worked; a day already there is corrected."""
    form = DayForm(request.POST)
    if not form.is_valid():
        return refuse(request, posted_year(request), [], day_form=form)
    data = form.cleaned_data
    try:
        day = services.save_day(
            request.user, data["date"], is_workday=data["kind"] == DayForm.WORKED, name=data["name"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return refuse(request, posted_year(request, data["date"].year), [], day_form=form)
    kind = "调休上班" if day.is_workday else "放假"
    messages.success(request, f"已登记 {day.date:%Y年%m月%d日} 为{kind}{'（' + day.name + '）' if day.name else ''}。")
    return redirect(year_url(day.date.year))


@login_required
@post_only("workdays:calendar")
@keeps_calendar
def remove_day(request):
    form = RemoveDayForm(request.POST)
    if not form.is_valid():
        return refuse(request, posted_year(request), [message for errors in form.errors.values() for message in errors])
    day = form.cleaned_data["date"]
    try:
        services.remove_day(request.user, day)
    except ValidationError as error:
        return refuse(request, posted_year(request, day.year), error.messages)
    messages.success(request, f"已从工作日历中删除 {day:%Y年%m月%d日}，该日按周一至周五的常规计算。")
    return redirect(year_url(day.year))


@login_required
@post_only("workdays:calendar")
@keeps_calendar
def mark_covered(request):
    """The office has checked the year's days against the State Council's notice."""
    form = YearForm(request.POST)
    if not form.is_valid():
        return refuse(request, timezone.localdate().year, form.errors.get("year", []))
    year = form.cleaned_data["year"]
    services.mark_year_covered(request.user, year)
    messages.success(request, f"已标记{year}年的工作日历为已核对。")
    return redirect(year_url(year))


@login_required
@post_only("workdays:calendar")
@keeps_calendar
def load(request):
    """Load the year from the package (the statutory holidays and 调休 days it holds)."""
    form = YearForm(request.POST)
    if not form.is_valid():
        return refuse(request, timezone.localdate().year, form.errors.get("year", []))
    year = form.cleaned_data["year"]
    result = services.load_statutory_calendar(request.user, [year])
    if year in result.refused:
        return refuse(request, year, [result.refused[year]])
    written = result.loaded[year]
    messages.success(request, f"已从 {statutory.SOURCE} 载入{year}年的放假和调休安排（新写入或更正 {written} 天）。")
    return redirect(year_url(year))
