"""Opening hours in Vietnam's time zone: weekly hours, exceptions by date, hours across midnight.

An opening belongs to the day it starts: 22:00-02:00 on Friday is open at 01:00 on Saturday. An
exception for a date replaces the openings that start on that date (closed, or other hours); the
tail of the previous day's opening is kept. The search filter (slots in SQL) and `is_open` here
implement the same rule and are tested against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Interval:
    opens: int  # minutes after local midnight
    closes: int  # <= opens: closes the next day (00:00-00:00 is 24 hours)

    def spans(self) -> list[tuple[int, int, int]]:
        """(day offset, start minute, end minute) pieces of this opening, split at midnight."""
        if self.closes > self.opens:
            return [(0, self.opens, self.closes)]
        pieces = [(0, self.opens, MINUTES_PER_DAY)]
        if self.closes > 0:
            pieces.append((1, 0, self.closes))
        return pieces


@dataclass(frozen=True)
class Slot:
    """A regular weekly piece: weekday (Monday 0), minutes [start, end); `spill` = began the day before."""

    weekday: int
    start: int
    end: int
    spill: bool


@dataclass(frozen=True)
class DatedSlot:
    """A piece of an exception's opening on a calendar date."""

    on_date: date
    start: int
    end: int


def minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def local(at: datetime) -> datetime:
    """`at` in Vietnam's time zone (UTC+7, no daylight saving)."""
    return at.astimezone(VIETNAM)


def weekly_slots(weekly: list[tuple[int, Interval]]) -> list[Slot]:
    return [
        Slot((day + offset) % 7, start, end, spill=offset == 1)
        for day, interval in weekly
        for offset, start, end in interval.spans()
    ]


def exception_slots(exceptions: dict[date, list[Interval]]) -> list[DatedSlot]:
    return [
        DatedSlot(on_date + timedelta(days=offset), start, end)
        for on_date, intervals in exceptions.items()
        for interval in intervals
        for offset, start, end in interval.spans()
    ]


def is_open(weekly: list[tuple[int, Interval]], exceptions: dict[date, list[Interval]], at: datetime) -> bool:
    """Open at instant `at`? `exceptions[d] == []` means closed all day d."""
    moment = local(at)
    today, minute = moment.date(), moment.hour * 60 + moment.minute
    for slot in weekly_slots(weekly):
        origin = today - timedelta(days=1) if slot.spill else today
        if slot.weekday == today.weekday() and slot.start <= minute < slot.end and origin not in exceptions:
            return True
    return any(s.on_date == today and s.start <= minute < s.end for s in exception_slots(exceptions))


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_minutes(hhmm: str) -> int:
    hours, _, mins = hhmm.partition(":")
    return int(hours) * 60 + int(mins)


def schedule_of(
    opening_hours: list[dict[str, str]], hour_exceptions: list[dict[str, object]]
) -> tuple[list[tuple[int, Interval]], dict[date, list[Interval]]]:
    """The stored JSON (as the API wrote it) as weekly intervals and exceptions by date."""
    weekly = [
        (DAYS.index(h["day"]), Interval(parse_minutes(h["opens"]), parse_minutes(h["closes"])))
        for h in opening_hours
    ]
    exceptions: dict[date, list[Interval]] = {}
    for exception in hour_exceptions:
        hours = exception.get("hours") or []
        assert isinstance(hours, list)
        exceptions[date.fromisoformat(str(exception["date"]))] = [
            Interval(parse_minutes(h["opens"]), parse_minutes(h["closes"])) for h in hours
        ]
    return weekly, exceptions
