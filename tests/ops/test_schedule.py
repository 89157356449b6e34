"""Due times (cron, seasons, missed windows), adaptive revisits, and cron validation at config load."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawler.schedule import Revisit, Schedule, is_due, next_due, next_slot
from nianbao.config import ConfigError, load_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEASONAL = Schedule(regular="0 3 * * 1", season="0 3 * * *", season_months=(1, 2, 3, 4), timezone="Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_in_season_the_daily_cron_applies():
    assert next_slot(SEASONAL, local(2026, 1, 14, 4, 0)) == local(2026, 1, 15, 3, 0)  # a Thursday


def test_out_of_season_the_weekly_cron_applies():
    assert next_slot(SEASONAL, local(2026, 6, 10, 4, 0)) == local(2026, 6, 15, 3, 0)  # Wednesday → Monday


def test_season_ends_and_starts_on_the_month_boundary():
    assert next_slot(SEASONAL, local(2026, 4, 30, 4, 0)) == local(2026, 5, 4, 3, 0)  # Thu 30 Apr → Mon 4 May
    assert next_slot(SEASONAL, local(2025, 12, 30, 4, 0)) == local(2026, 1, 1, 3, 0)  # Tue → Thu 1 Jan


def test_cron_is_read_in_the_configured_time_zone():
    weekly = Schedule(regular="0 3 * * 1", timezone="Asia/Shanghai")
    slot = next_slot(weekly, datetime(2026, 6, 10, tzinfo=timezone.utc))
    assert slot == datetime(2026, 6, 14, 19, 0, tzinfo=timezone.utc)  # Monday 03:00 in Shanghai


def test_missed_windows_make_the_portal_due_once():
    weekly = Schedule(regular="0 3 * * 1", timezone="UTC")
    now = datetime(2026, 6, 10, 12, 0, tzinfo=timezone.utc)
    last = now - timedelta(days=30)  # four Mondays were missed while the daemon was down
    assert is_due(weekly, last, now)
    assert not is_due(weekly, now, now + timedelta(hours=1))  # after the catch-up run: the next Monday
    assert next_due(weekly, now, now) == datetime(2026, 6, 15, 3, 0, tzinfo=timezone.utc)


def test_never_crawled_portal_is_due_at_once_and_unscheduled_never():
    now = datetime(2026, 6, 10, tzinfo=timezone.utc)
    assert next_due(Schedule(regular="0 3 * * 1"), None, now) == now
    assert next_due(Schedule(regular=""), None, now) is None


def test_unchanged_pages_wait_longer_changed_ones_shorter_within_bounds():
    policy = Revisit(min_seconds=3600, max_seconds=10 * 3600)
    first = policy.next_interval(None, changed=True)
    assert first == 3600
    intervals = [first]
    for _ in range(10):
        intervals.append(policy.next_interval(intervals[-1], changed=False))
    assert intervals[1] > intervals[0] and intervals[-1] == 10 * 3600
    assert policy.next_interval(10 * 3600, changed=True) < 10 * 3600
    assert policy.next_interval(3600, changed=True) == 3600


def test_a_page_is_deferred_only_within_its_interval():
    policy = Revisit(min_seconds=3600, max_seconds=7200)
    fetched = datetime(2026, 6, 10, 12, 0, tzinfo=timezone.utc)
    stamp = fetched.isoformat()
    assert policy.defer(stamp, 3600, fetched + timedelta(minutes=30))
    assert not policy.defer(stamp, 3600, fetched + timedelta(minutes=61))
    assert not policy.defer(None, 3600, fetched)


@pytest.mark.parametrize("text, expected", [
    ('[schedule]\ndefault = "0 3 * *"\n', "config.toml:2: 'schedule.default' is not a valid cron expression"),
    ('[schedule]\nseason = "61 3 * * *"\n', "config.toml:2: 'schedule.season' is not a valid cron expression"),
    ('[schedule]\ntimezone = "Mars/Base"\n', "config.toml:2: 'schedule.timezone' is not a known time zone"),
    ('[schedule]\nseason_months = [1, 13]\n', "config.toml:2: 'schedule.season_months' must be months 1–12"),
    ('[[portals]]\nname = "a"\ntitle = "A"\nstart_urls = ["http://a/"]\n\n[[portals]]\nname = "b"\ntitle = "B"\n'
     'start_urls = ["http://b/"]\nschedule = "every monday"\n',
     "config.toml:10: 'portals.schedule' is not a valid cron expression: 'every monday'"),
])
def test_bad_schedules_are_refused_at_load_with_file_line_and_key(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert expected in str(error.value) and "\n" not in str(error.value)
