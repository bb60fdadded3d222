"""China's statutory holidays and 调休 days as published by the State Council, read from the chinese-calendar package.

Only the exceptions to Monday-to-Friday are returned (holidays falling on a weekday, weekend days worked), with
their names in Chinese. The package covers a fixed range of years (1.11.0: 2004–2026) and raises
NotImplementedError for any other: ``covers(year)`` says which.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version

import chinese_calendar

SOURCE = f"chinese-calendar {version('chinese-calendar')}"

# The package's English holiday names → the names the State Council's notices use.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WORKED_SUFFIX = "调休"  # a weekend day worked in place of a holiday: 国庆节调休


@dataclass(frozen=True)
class StatutoryDay:
    date: date
    is_workday: bool
    name: str


def covers(year):
    """Whether the installed package holds the holidays of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def covered_years(start_year, end_year):
    """The years between the two (inclusive) that the package covers."""
    return [year for year in range(start_year, end_year + 1) if covers(year)]


def chinese_name(english):
    return HOLIDAY_NAMES.get(english, english or "")


def exceptions_of(year):
    """The year's days that are not what Monday-to-Friday says, in date order. ``year`` must be covered."""
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        is_workday = chinese_calendar.is_workday(day)
        if is_workday != (day.weekday() < 5):
            _on_holiday, english = chinese_calendar.get_holiday_detail(day)
            name = chinese_name(english)
            if is_workday and name:
                name += WORKED_SUFFIX
            days.append(StatutoryDay(day, is_workday, name))
        day += timedelta(days=1)
    return days


def uncovered_message(year):
    """Why a year cannot be loaded from the package (Chinese)."""
    return (
        f"{year}年的法定节假日安排不在 {SOURCE} 的数据范围内，未载入{year}年；"
        f"请在工作日历页面逐日录入国务院办公厅公布的放假和调休安排，核对后标记该年已核对。"
    )
