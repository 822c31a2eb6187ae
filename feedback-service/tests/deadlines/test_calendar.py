"""Working-hour deadlines (Art. 12.2) on Vietnam's calendar: weekends, Tết, substituted working days."""

from datetime import UTC, date, datetime, timedelta

import pytest

from feedback_service.deadlines.calendar import VIETNAM_TIME, WorkingCalendar


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TIME)  # type: ignore[misc]


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.vietnam([2026, 2027])


def test_eight_working_hours_within_one_day_from_the_opening(calendar: WorkingCalendar) -> None:
    # Tuesday 3 March 2026, 07:30 + 8 working hours = 17:00 the same day (lunch break skipped).
    assert calendar.add_working_hours(local(2026, 3, 3, 7, 30), 8) == local(2026, 3, 3, 17, 0)


def test_lunch_break_is_not_counted(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_hours(local(2026, 3, 3, 11, 0), 1) == local(2026, 3, 3, 13, 30)


def test_friday_afternoon_deadline_runs_over_the_weekend(calendar: WorkingCalendar) -> None:
    # Friday 6 March 2026 16:00 + 4h: 1h on Friday, then Monday 07:30 + 3h = 10:30.
    assert calendar.add_working_hours(local(2026, 3, 6, 16, 0), 4) == local(2026, 3, 9, 10, 30)


def test_report_made_on_saturday_starts_counting_on_monday(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_hours(local(2026, 3, 7, 9, 0), 2) == local(2026, 3, 9, 9, 30)


def test_tet_holidays_are_skipped(calendar: WorkingCalendar) -> None:
    # Tết 2026: 16-20 February (Mon-Fri) are holidays; Friday 13 Feb 16:00 + 2h -> Mon 23 Feb 08:30.
    for day in range(16, 21):
        assert not calendar.is_working_day(date(2026, 2, day))
    assert calendar.add_working_hours(local(2026, 2, 13, 16, 0), 2) == local(2026, 2, 23, 8, 30)


def test_substituted_saturday_is_a_working_day(calendar: WorkingCalendar) -> None:
    # 22 Aug 2026 (Saturday) is worked in exchange for Monday 31 Aug (holidays package).
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))
    # Friday 21 Aug 16:00 + 2h: 1h Friday, 1h on the worked Saturday.
    assert calendar.add_working_hours(local(2026, 8, 21, 16, 0), 2) == local(2026, 8, 22, 8, 30)


def test_overrides_as_data_add_a_holiday_and_a_working_day() -> None:
    calendar = WorkingCalendar.vietnam(
        [2026], extra_holidays=[date(2026, 3, 4)], extra_working_days=[date(2026, 3, 7)]
    )
    assert not calendar.is_working_day(date(2026, 3, 4))
    assert calendar.is_working_day(date(2026, 3, 7))


def test_an_extra_working_day_overrides_an_official_holiday() -> None:
    calendar = WorkingCalendar.vietnam([2026], extra_working_days=[date(2026, 2, 20)])
    assert calendar.is_working_day(date(2026, 2, 20))


def test_result_is_utc_and_input_may_be_utc(calendar: WorkingCalendar) -> None:
    due = calendar.add_working_hours(datetime(2026, 3, 3, 0, 30, tzinfo=UTC), 1)  # 07:30 local
    assert due.tzinfo is not None and due.utcoffset() == timedelta(0)
    assert due == local(2026, 3, 3, 8, 30)


def test_naive_start_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_working_hours(datetime(2026, 3, 3, 8), 1)


def test_working_hours_between_counts_only_office_time(calendar: WorkingCalendar) -> None:
    # Friday 16:00 -> Monday 09:30 = 1h + 2h.
    assert calendar.working_hours_between(local(2026, 3, 6, 16, 0), local(2026, 3, 9, 9, 30)) == 3.0


def test_working_hours_between_is_the_inverse_of_adding(calendar: WorkingCalendar) -> None:
    start = local(2026, 2, 12, 10, 15)
    due = calendar.add_working_hours(start, 21.5)
    assert calendar.working_hours_between(start, due) == 21.5


def test_working_hours_between_is_zero_backwards(calendar: WorkingCalendar) -> None:
    assert calendar.working_hours_between(local(2026, 3, 9), local(2026, 3, 6)) == 0.0


def test_day_has_eight_working_hours(calendar: WorkingCalendar) -> None:
    assert calendar.hours_per_day == 8.0
