"""Shell, schedules in words: a cron expression → Chinese an operator reads at a glance (`每周一 03:00`).

cron-descriptor 2.2.1 was tried first: its zh_CN output mixes English names in ("在 03:00, 仅在 Monday"), so
this small formatter works over croniter's parsed fields instead (croniter already validates the config).
Only the shapes a recrawl schedule takes are put in words; anything else (`1#2`, many hours) returns ""
and the console shows the cron string alone, which is always shown beside the words anyway.
"""
from __future__ import annotations

WEEKDAYS = "日一二三四五六"  # croniter: 0 = Sunday … 6 = Saturday
_ALL = ["*"]


def describe_cron(expression: str) -> str:
    """`0 3 * * 1` → `每周一 03:00`; "" when the expression has a shape not put in words."""
    from croniter import croniter

    try:
        fields, nth_weekdays = croniter.expand(expression)
    except (ValueError, KeyError, TypeError):
        return ""
    if nth_weekdays or len(fields) != 5:
        return ""
    minutes, hours, days, months, weekdays = fields
    time = _time_words(minutes, hours)
    day = _day_words(days, weekdays)
    if not time or not day:
        return ""
    if months != _ALL and len(months) == 1 and day.startswith("每月"):
        day = day.removeprefix("每月")  # 每年1月1日, not 每年1月每月1日
    if day == "每天" and time.startswith("每"):
        day = ""  # 每 15 分钟, not 每天 每 15 分钟
    return f"{_month_words(months)}{day} {time}".strip()


def describe_schedule(regular: str, season: str = "", season_months: tuple[int, ...] = ()) -> str:
    """A portal's schedule in words: its regular cron, and the seasonal cron in `season_months` if any."""
    regular_words = _words_or_cron(regular) if regular else "不定期（仅手动）"
    if not season or not season_months:
        return regular_words
    return f"{regular_words}；{_span(list(season_months))}月改为{_words_or_cron(season)}"


def _words_or_cron(expression: str) -> str:
    return describe_cron(expression) or f"按 cron「{expression}」"


def _time_words(minutes: list, hours: list) -> str:
    if minutes == _ALL:
        return "每分钟" if hours == _ALL else ""
    if hours == _ALL:
        step = _step(minutes, 60)
        return f"每小时第 {minutes[0]} 分" if len(minutes) == 1 else (f"每 {step} 分钟" if step else "")
    if len(minutes) != 1:
        return ""
    if len(hours) <= 4:
        return "、".join(f"{h:02d}:{minutes[0]:02d}" for h in hours)
    step = _step(hours, 24)
    return f"每 {step} 小时（第 {minutes[0]} 分）" if step else ""


def _step(values: list[int], size: int) -> int | None:
    """The step of an evenly spaced series starting at 0 (`*/15`), else None."""
    if len(values) < 2 or values[0] != 0:
        return None
    step = values[1] - values[0]
    return step if values == list(range(0, size, step)) else None


def _day_words(days: list, weekdays: list) -> str:
    if days == _ALL and weekdays == _ALL:
        return "每天"
    parts = []
    if days != _ALL:
        named = ["最后一天" if d == "l" else f"{d}日" for d in days]
        if any(not isinstance(d, int) and d != "l" for d in days):
            return ""
        parts.append("每月" + "、".join(named))
    if weekdays != _ALL:
        parts.append("每周" + _weekday_span(sorted(set(weekdays))))
    return "及".join(parts)  # cron: a day matches when either field does


def _weekday_span(weekdays: list[int]) -> str:
    monday_first = sorted(weekdays, key=lambda d: (d + 6) % 7)
    order = [(d + 6) % 7 for d in monday_first]
    if len(order) >= 3 and order == list(range(order[0], order[0] + len(order))):
        return f"{WEEKDAYS[monday_first[0]]}至周{WEEKDAYS[monday_first[-1]]}"
    return "、".join(WEEKDAYS[d] for d in monday_first)


def _month_words(months: list) -> str:
    if months == _ALL:
        return ""
    if len(months) == 1:
        return f"每年{months[0]}月"
    return f"{_span(months)}月"


def _span(values: list[int]) -> str:
    """1,2,3,4 → 1至4; 1,3 → 1、3."""
    values = sorted(values)
    if len(values) >= 3 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}至{values[-1]}"
    return "、".join(str(v) for v in values)
