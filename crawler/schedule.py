"""Crawl stage, schedules: when a portal is due (cron, with a seasonal cron) and when a report page is revisited.

Due times: a portal runs at the first cron slot after the start of its last *finished* run (completed or
failed). A daemon that was down over several slots therefore finds one slot in the past and runs the
portal once, not once per missed slot; a portal never crawled, or whose last run was interrupted or
stopped, is due at once. Cron expressions are read in `[schedule] timezone` (croniter does the parsing).

Seasons: annual reports are published in January–April, so `season` (e.g. daily) replaces the portal's
regular cron (e.g. weekly) in `season_months`: the next slot is the earliest regular slot outside the
season or season slot inside it.

Revisits (in the spirit of Nutch's AdaptiveFetchSchedule): list pages are fetched on every run; a report
page that came back unchanged waits `interval × 1.4` before the next fetch, a changed one `interval × 0.8`,
bounded by `revisit_min_hours` … `revisit_max_hours`; a new page starts at the minimum. Every fetch is a
conditional GET anyway; the interval spares the portal even those.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from nianbao.config import PortalSettings, ScheduleSettings, Settings

# croniter walks one slot at a time; a regular cron with no slot outside the season (or the reverse)
# must not loop for ever.
_MAX_SLOTS = 2000
FINISHED = ("completed", "failed")


@dataclass(frozen=True)
class Schedule:
    """A portal's effective schedule: its regular cron, and the seasonal cron with its months."""

    regular: str
    season: str = ""
    season_months: tuple[int, ...] = ()
    timezone: str = "UTC"

    def describe(self) -> str:
        """The schedule in one line for operators."""
        if not self.season or not self.season_months:
            return self.regular or "仅手动 on request only"
        months = ",".join(str(m) for m in self.season_months)
        regular = self.regular or "none"
        return f"{regular}; months {months}: {self.season} ({self.timezone})"


def schedule_for(settings: ScheduleSettings, portal: PortalSettings) -> Schedule:
    """The schedule of `portal`: its own cron or the default, with its own or the default season."""
    return Schedule(regular=portal.schedule or settings.default, season=portal.season or settings.season,
                    season_months=tuple(settings.season_months), timezone=settings.timezone)


def next_slot(schedule: Schedule, after: datetime) -> datetime | None:
    """The first slot strictly after `after` (UTC), or None when the schedule has none."""
    from croniter import croniter

    local = after.astimezone(ZoneInfo(schedule.timezone))
    candidates = []
    seasonal = bool(schedule.season and schedule.season_months)
    if schedule.regular:
        months = set(schedule.season_months) if seasonal else set()
        candidates.append(_first(croniter(schedule.regular, local), lambda t: t.month not in months))
    if seasonal:
        candidates.append(_first(croniter(schedule.season, local), lambda t: t.month in schedule.season_months))
    found = [c for c in candidates if c is not None]
    return min(found).astimezone(timezone.utc) if found else None


def _first(slots, wanted) -> datetime | None:
    for _ in range(_MAX_SLOTS):
        slot = slots.get_next(datetime)
        if wanted(slot):
            return slot
    return None


def next_due(schedule: Schedule, last_finished_start: datetime | None, now: datetime) -> datetime | None:
    """When the portal is next due: `now` if never finished a run, else the first slot after that run began."""
    if last_finished_start is None:
        return now if schedule.regular or schedule.season else None
    return next_slot(schedule, last_finished_start)


def is_due(schedule: Schedule, last_finished_start: datetime | None, now: datetime) -> bool:
    """True when the portal should run now."""
    due = next_due(schedule, last_finished_start, now)
    return due is not None and due <= now


def parse_time(stamp: str | None) -> datetime | None:
    """A stored UTC ISO time → aware datetime."""
    if not stamp:
        return None
    when = datetime.fromisoformat(stamp)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Revisit:
    """Adaptive revisit intervals for report pages (seconds)."""

    min_seconds: float
    max_seconds: float
    grow: float = 1.4    # Nutch INC_RATE 0.4
    shrink: float = 0.8  # Nutch DEC_RATE 0.2

    @classmethod
    def from_settings(cls, settings: Settings) -> Revisit:
        """The policy configured in `[schedule]`."""
        return cls(settings.schedule.revisit_min_hours * 3600, settings.schedule.revisit_max_hours * 3600)

    def next_interval(self, previous: float | None, changed: bool) -> float:
        """The interval after a fetch: longer when unchanged, shorter when changed, the minimum when new."""
        if previous is None:
            return self.min_seconds
        interval = max(previous, self.min_seconds) * (self.shrink if changed else self.grow)
        return min(max(interval, self.min_seconds), self.max_seconds)

    def defer(self, last_fetched: str | None, interval: float | None, now: datetime) -> bool:
        """True when a stored page was fetched less than its interval ago (so this run skips it)."""
        fetched = parse_time(last_fetched)
        if fetched is None or not interval:
            return False
        return now < fetched + timedelta(seconds=interval)
