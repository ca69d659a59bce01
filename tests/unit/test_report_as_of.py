"""The interim report's reading of a measure's timeline: its value on a reporting date, when it
began to exist, and whether it was delayed then."""

from __future__ import annotations

from datetime import UTC, date, datetime

from participation.reporting.snapshot import day_end, first_moment, is_delayed, value_as_of

JAN, MAR, MAY = (datetime(2027, month, 1, 12, tzinfo=UTC) for month in (1, 3, 5))


def test_the_last_change_before_the_moment_gives_its_after():
    changes = [(JAN, "planned", "preparing"), (MAR, "preparing", "implementing"), (MAY, "implementing", "completed")]
    assert value_as_of(changes, datetime(2027, 4, 1, tzinfo=UTC), "completed") == "implementing"
    assert value_as_of(changes, datetime(2027, 6, 1, tzinfo=UTC), "completed") == "completed"


def test_before_the_first_change_its_before_is_the_value():
    changes = [(MAR, "10", "40")]
    assert value_as_of(changes, datetime(2027, 2, 1, tzinfo=UTC), "40") == "10"


def test_without_changes_the_current_value_counts():
    assert value_as_of([], datetime(2027, 2, 1, tzinfo=UTC), "25") == "25"


def test_a_change_on_the_reporting_day_counts_until_its_end_in_cologne():
    # 23:30 in Cologne on 30 June (summer time) is 21:30 UTC: still the reporting day
    late = datetime(2027, 6, 30, 21, 30, tzinfo=UTC)
    after_midnight = datetime(2027, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 July in Cologne
    moment = day_end(date(2027, 6, 30))
    assert moment == datetime(2027, 6, 30, 22, 0, tzinfo=UTC)
    assert value_as_of([(late, "0", "50")], moment, "50") == "50"
    assert value_as_of([(after_midnight, "0", "50")], moment, "50") == "0"


def test_first_moment_prefers_the_timeline():
    assert first_moment([(MAR, None, "x")], JAN) == MAR
    assert first_moment([], JAN) == JAN


def test_delayed_by_planned_end_or_by_a_milestone():
    on = date(2027, 6, 30)
    assert is_delayed("implementing", date(2027, 5, 31), [], on)
    assert not is_delayed("completed", date(2027, 5, 31), [], on)
    assert not is_delayed("stopped", date(2027, 5, 31), [], on)
    assert not is_delayed("implementing", date(2027, 12, 31), [], on)
    missed = {"planned_on": "2027-03-01", "reached": False}
    reached = {"planned_on": "2027-03-01", "reached": True}
    assert is_delayed("implementing", None, [missed], on)
    assert not is_delayed("implementing", None, [reached], on)
    assert not is_delayed("implementing", None, [{"planned_on": "2027-09-01", "reached": False}], on)
