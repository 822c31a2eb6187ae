"""The working calendar of Hue's agencies: deadlines count working hours, not clock hours (Art. 12.2).

Pure logic, no session. Working days are Monday to Friday minus Vietnamese public holidays (Tết
included, from the `holidays` package) plus substituted working days (a Saturday worked to bridge a
holiday); both lists can be overridden as data (the IOC's calendar overrides). Vietnam keeps UTC+7 all
year, so a fixed offset is exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

import holidays

VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")
# Office hours of the city's agencies: 07:30-11:30 and 13:00-17:00, eight working hours a day.
OFFICE_HOURS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
MAX_SEARCH_DAYS = 3660  # ten years: a deadline further than that is a configuration error


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are worked, and the office hours of a worked day (local time, UTC+7)."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    working_weekend_days: frozenset[date] = field(default_factory=frozenset)
    office_hours: tuple[tuple[time, time], ...] = OFFICE_HOURS

    @classmethod
    def vietnam(
        cls,
        years: Iterable[int],
        *,
        extra_holidays: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> WorkingCalendar:
        """Vietnam's public holidays and substituted working days for `years`, plus overrides.

        An extra working day wins over a holiday on the same date (a decision to work a holiday).
        """
        years = sorted(set(years))
        official = holidays.country_holidays("VN", years=years)
        worked = {d for d in official.weekend_workdays if d.year in years} | set(extra_working_days)
        days_off = (set(official.keys()) | set(extra_holidays)) - worked
        return cls(holidays=frozenset(days_off), working_weekend_days=frozenset(worked))

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    @property
    def hours_per_day(self) -> float:
        return sum(_span_hours(start, end) for start, end in self.office_hours)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant `hours` working hours after `start` (UTC-aware in, UTC-aware out)."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = timedelta(hours=hours)
        local = start.astimezone(VIETNAM_TIME)
        day = local.date()
        for _ in range(MAX_SEARCH_DAYS):
            if self.is_working_day(day):
                for period_start, period_end in self.office_hours:
                    begin = max(datetime.combine(day, period_start, VIETNAM_TIME), local)
                    end = datetime.combine(day, period_end, VIETNAM_TIME)
                    if begin >= end:
                        continue
                    if remaining <= end - begin:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= end - begin
            day += timedelta(days=1)
        raise ValueError("deadline beyond the calendar's range")

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (0 when `end` is not after `start`)."""
        if end <= start:
            return 0.0
        first = start.astimezone(VIETNAM_TIME)
        last = end.astimezone(VIETNAM_TIME)
        total = timedelta()
        day = first.date()
        while day <= last.date():
            if self.is_working_day(day):
                for period_start, period_end in self.office_hours:
                    begin = max(datetime.combine(day, period_start, VIETNAM_TIME), first)
                    finish = min(datetime.combine(day, period_end, VIETNAM_TIME), last)
                    if finish > begin:
                        total += finish - begin
            day += timedelta(days=1)
        return round(total.total_seconds() / 3600, 4)


def _span_hours(start: time, end: time) -> float:
    return (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds() / 3600
