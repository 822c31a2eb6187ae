"""Open-now rules in Vietnam's time zone: edges of opening hours, across midnight, exceptions."""

from datetime import UTC, date, datetime, timedelta

from catalog_service.offerings.opening import Interval, is_open

# 2026-12-04 is a Friday (weekday 4).
FRIDAY = date(2026, 12, 4)


def at(day: int, hhmm: str) -> datetime:
    """Local Hue time on 2026-12-<day>, as a UTC instant (UTC+7)."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 12, day, tzinfo=UTC) + timedelta(minutes=hours * 60 + minutes - 7 * 60)


OFFICE = [(d, Interval(7 * 60 + 30, 17 * 60)) for d in range(5)]  # Mon-Fri 07:30-17:00
NIGHT = [(4, Interval(22 * 60, 2 * 60))]  # Friday 22:00-02:00


def test_open_at_the_opening_minute_and_closed_at_the_closing_minute() -> None:
    assert not is_open(OFFICE, {}, at(4, "07:29"))
    assert is_open(OFFICE, {}, at(4, "07:30"))
    assert is_open(OFFICE, {}, at(4, "16:59"))
    assert not is_open(OFFICE, {}, at(4, "17:00"))


def test_the_time_zone_is_vietnam_not_utc() -> None:
    # 08:00 in Hue is 01:00 UTC: open, although 01:00 would be closed.
    assert is_open(OFFICE, {}, datetime(2026, 12, 4, 1, 0, tzinfo=UTC))


def test_closed_on_a_day_without_hours() -> None:
    assert not is_open(OFFICE, {}, at(5, "10:00"))  # Saturday


def test_hours_across_midnight_stay_open_into_the_next_day() -> None:
    assert not is_open(NIGHT, {}, at(4, "21:59"))
    assert is_open(NIGHT, {}, at(4, "23:59"))
    assert is_open(NIGHT, {}, at(5, "00:00"))
    assert is_open(NIGHT, {}, at(5, "01:59"))
    assert not is_open(NIGHT, {}, at(5, "02:00"))


def test_midnight_to_midnight_is_open_all_day() -> None:
    always = [(d, Interval(0, 0)) for d in range(7)]
    assert is_open(always, {}, at(4, "00:00"))
    assert is_open(always, {}, at(4, "23:59"))


def test_an_exception_closes_the_whole_day() -> None:
    assert not is_open(OFFICE, {FRIDAY: []}, at(4, "10:00"))


def test_an_exception_gives_other_hours() -> None:
    short = {FRIDAY: [Interval(8 * 60, 11 * 60)]}
    assert is_open(OFFICE, short, at(4, "10:59"))
    assert not is_open(OFFICE, short, at(4, "11:00"))


def test_closing_a_day_keeps_the_tail_of_the_night_before() -> None:
    # Friday night runs to 02:00 Saturday; closing Saturday does not cut it.
    assert is_open(NIGHT, {date(2026, 12, 5): []}, at(5, "01:00"))


def test_closing_the_day_an_opening_starts_removes_its_tail_too() -> None:
    assert not is_open(NIGHT, {FRIDAY: []}, at(5, "01:00"))


def test_an_exception_across_midnight_reaches_into_the_next_day() -> None:
    late = {FRIDAY: [Interval(20 * 60, 3 * 60)]}
    assert is_open(OFFICE, late, at(5, "02:30"))
    assert not is_open(OFFICE, late, at(5, "03:00"))
