"""Settings: `config.toml` → frozen dataclasses, validated key by key.

A leaf module: every stage may import it, it imports none of them. Settings are read once
(by the CLI) and passed down explicitly.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CONFIG = "config.toml"
# The CMS families discovery tells apart (crawler/discover.py); a portal contract may expect them.
FAMILIES = ("trs", "hanweb", "plain")
CONFIG_ENV = "NIANBAO_CONFIG"


class ConfigError(Exception):
    """A config problem, phrased as one line for the operator.

    `key` (e.g. `portals.schedule`), `problem` (a stable code: missing, type, unknown, cron, duplicate, name,
    url, host, region, empty, range) and `portal` (the entry's index) let the console show the same check in
    Chinese beside the form field it is about (webui/admin/portal_form.py); the message stays the CLI's.
    """

    def __init__(self, message: str, *, key: str | None = None, problem: str | None = None,
                 portal: int | None = None):
        super().__init__(message)
        self.key, self.problem, self.portal = key, problem, portal


@dataclass(frozen=True)
class PathSettings:
    corpus: Path = Path("corpus")
    index: Path = Path("var/index")
    state: Path = Path("var/state.sqlite3")


@dataclass(frozen=True)
class WhooshSettings:
    """`[index.whoosh]`."""

    writer_timeout_seconds: float = 2.0  # how long a write waits for another writer before IndexLocked


@dataclass(frozen=True)
class TantivySettings:
    """`[index.tantivy]`."""

    writer_heap_mb: int = 256     # tantivy's indexing memory budget
    analysis_workers: int = 0     # unused: text is analysed by `nianbao index --jobs` workers (kept: old configs load)
    aggregation_buckets: int = 65_000  # most buckets in one aggregation; more matching values are counted in pieces


@dataclass(frozen=True)
class ReferenceSettings:
    """`[index.reference]`: nothing to set (everything is read into memory on open)."""


# One table per engine package of indexer/engines/ (same names: tests/engines checks they agree). Declared here
# because settings are the bottom layer: this module imports no stage, the engines import their settings.
ENGINE_SETTINGS = {"whoosh": WhooshSettings, "tantivy": TantivySettings, "reference": ReferenceSettings}


@dataclass(frozen=True)
class IndexSettings:
    engine: str = "whoosh"
    # engine name → its `Options`, from the `[index.<name>]` tables (engines without a table: defaults).
    engines: dict = field(default_factory=dict, hash=False, compare=False, metadata={"table": False})

    def options(self, name: str | None = None) -> object | None:
        """The options of engine `name` (default: the configured one); None means the engine's defaults."""
        return self.engines.get(name or self.engine)


@dataclass(frozen=True)
class ReaderSettings:
    """Limits of one document read (each runs in a worker process; see indexer/read/bounded.py)."""

    memory_mb: int = 2048             # address space of a worker; a 50 MB report needs well under this
    cpu_seconds: int = 120            # CPU time of one document
    timeout_seconds: float = 180.0    # wall time of one document (a blocked read counts too)
    max_file_mb: int = 64             # larger files are refused unread
    max_html_mb: int = 16             # HTML pages are text: real reports are well under 1 MB
    max_table_cells: int = 50_000     # HTML <td>/<th> per page; a report's tables have a few thousand
    workers: int = 2                  # worker processes reading at the same time


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 8
    # Absolute links (API, OpenAPI, redirects) start with this, e.g. "https://nianbao.example.cn";
    # empty: links are relative where they can be, else built from `host` and `port` (never the Host header).
    public_url: str = ""
    session_hours: float = 8.0        # an operator's console session ends after this long
    # Operator console (/admin): a werkzeug password hash (`nianbao password-hash`); empty = console disabled.
    # $NIANBAO_ADMIN_PASSWORD_HASH and $NIANBAO_SECRET_KEY override these.
    admin_password_hash: str = ""
    secret_key: str = ""


@dataclass(frozen=True)
class CrawlerSettings:
    user_agent: str = "NianbaoBot/0.1"
    contact: str = ""
    delay_seconds: float = 2.0
    timeout_seconds: float = 30.0
    max_bytes: int = 50 * 1024 * 1024
    max_depth: int = 5  # links from a start URL a disclosure hub or department/township site may be
    max_pages: int = 2000
    retries: int = 3
    backoff_seconds: float = 1.0
    max_retry_after_seconds: float = 300.0
    request_deadline_seconds: float = 600.0  # one request, connect to last byte, whatever the server does
    min_bytes_per_second: int = 1024         # a body slower than this (after timeout_seconds) is abandoned


@dataclass(frozen=True)
class ScheduleSettings:
    default: str = ""                # cron for portals without their own `schedule`; empty: only on request
    season: str = ""                 # cron used instead during `season_months` (reports come out in Jan–Apr)
    season_months: tuple[int, ...] = (1, 2, 3, 4)
    timezone: str = "Asia/Shanghai"  # cron expressions are read in this zone
    max_parallel: int = 2            # portals crawled at the same time (never two on one host)
    poll_seconds: float = 30.0       # how often the daemon looks for due portals and queued requests
    revisit_min_hours: float = 20.0  # an unchanged report page is revisited after at least this long …
    revisit_max_hours: float = 720.0  # … and at most this long (the interval grows while it stays unchanged)


@dataclass(frozen=True)
class PortalSettings:
    name: str
    title: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    schedule: str = ""
    season: str = ""
    delay_seconds: float | None = None
    enabled: bool = True
    max_pages: int | None = None      # list pages one run may open ([crawler] max_pages if unset)
    max_depth: int | None = None      # links from a start URL a hub or sub-site may be ([crawler] max_depth)
    # The portal contract, checked after every run (all optional; none set: no contract).
    expect_min_reports: int | None = None
    expect_families: tuple[str, ...] = ()
    expect_years: tuple[int, ...] = ()

    @property
    def has_contract(self) -> bool:
        """True when the entry states any expectation."""
        return self.expect_min_reports is not None or bool(self.expect_families or self.expect_years)


@dataclass(frozen=True)
class Settings:
    source: Path
    paths: PathSettings = field(default_factory=PathSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    web: WebSettings = field(default_factory=WebSettings)
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    portals: tuple[PortalSettings, ...] = ()

    def portal(self, name: str) -> PortalSettings | None:
        """The portal called `name`, or None."""
        return next((p for p in self.portals if p.name == name), None)


_TABLES = {"paths": PathSettings, "index": IndexSettings, "reader": ReaderSettings, "web": WebSettings, "crawler": CrawlerSettings,
           "schedule": ScheduleSettings}


def config_path(explicit: str | os.PathLike | None) -> Path:
    """The config file to use: explicit path, then $NIANBAO_CONFIG, then ./config.toml."""
    return Path(explicit or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load_settings(path: str | os.PathLike) -> Settings:
    """Read and validate a config file; relative paths are resolved against its folder."""
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found (pass --config PATH or set {CONFIG_ENV})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    return settings_from_text(raw_text, path)


def settings_from_text(raw_text: str, path: Path) -> Settings:
    """Validate config text as if it were the file at `path` (the console checks an edit before writing it)."""
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    locate = _KeyLocator(Path(path), raw_text)
    return _settings_from(data, Path(path), locate)


def _settings_from(data: dict, path: Path, locate: _KeyLocator) -> Settings:
    known = set(_TABLES) | {"portals"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{locate(None, key)}: unknown key '{key}' (expected one of: {', '.join(sorted(known))})")
    base = path.resolve().parent
    built = {}
    for name, cls in _TABLES.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{locate(None, name)}: '{name}' must be a table [{name}]")
        built[name] = _build_index(table, locate) if name == "index" else _build(cls, table, name, locate)
    paths = built["paths"]
    built["paths"] = PathSettings(**{f.name: _resolve(base, getattr(paths, f.name)) for f in dataclasses.fields(paths)})
    portals = data.get("portals", [])
    if not isinstance(portals, list):
        raise ConfigError(f"{locate(None, 'portals')}: 'portals' must be written as [[portals]] entries")
    built["portals"] = tuple(_build(PortalSettings, p, "portals", locate, index=i) for i, p in enumerate(portals))
    names = [p.name for p in built["portals"]]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{path}: portal names must be unique, repeated: {', '.join(duplicates)}",
                          key="portals.name", problem="duplicate", portal=len(names) - 1 - names[::-1].index(duplicates[0]))
    _check_portal_entries(built["portals"], locate)
    _check_schedules(built["schedule"], built["portals"], locate)
    _check_exploration(built["crawler"], built["portals"], locate)
    _check_limits(built, locate)
    return Settings(source=path, **built)


def _check_exploration(crawler: CrawlerSettings, portals: tuple[PortalSettings, ...], locate: _KeyLocator) -> None:
    """Budgets are positive, depths not negative, and a contract expects what a crawl can find."""
    if crawler.max_pages < 1 or crawler.max_depth < 0:
        raise ConfigError(f"{locate('crawler', 'max_pages')}: 'crawler.max_pages' must be at least 1 and "
                          "'crawler.max_depth' at least 0")
    for index, portal in enumerate(portals):
        checks = (("max_pages", portal.max_pages is not None and portal.max_pages < 1, "at least 1"),
                  ("max_depth", portal.max_depth is not None and portal.max_depth < 0, "at least 0"),
                  ("expect_min_reports", (portal.expect_min_reports or 0) < 0, "at least 0"),
                  ("expect_families", not set(portal.expect_families) <= set(FAMILIES),
                   f"a list of {', '.join(FAMILIES)}"),
                  ("expect_years", any(not 1990 <= y <= 2100 for y in portal.expect_years), "a list of years"))
        for key, bad, rule in checks:
            if bad:
                raise ConfigError(f"{locate('portals', key, index)}: 'portals.{key}' must be {rule}, "
                                  f"got {getattr(portal, key)!r}", key=f"portals.{key}", problem="range", portal=index)


def _check_schedules(schedule: ScheduleSettings, portals: tuple[PortalSettings, ...], locate: _KeyLocator) -> None:
    """Cron expressions, months and the time zone are checked at load, not when the daemon first needs them."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for key in ("default", "season"):
        _check_cron(getattr(schedule, key), locate("schedule", key), f"schedule.{key}")
    bad_months = [m for m in schedule.season_months if not 1 <= m <= 12]
    if bad_months:
        raise ConfigError(f"{locate('schedule', 'season_months')}: 'schedule.season_months' must be months 1–12, "
                          f"got {bad_months[0]}")
    try:
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{locate('schedule', 'timezone')}: 'schedule.timezone' is not a known time zone: "
                          f"{schedule.timezone!r} (e.g. \"Asia/Shanghai\")") from None
    if schedule.max_parallel < 1 or schedule.poll_seconds <= 0:
        raise ConfigError(f"{locate('schedule', None)}: 'schedule.max_parallel' and 'schedule.poll_seconds' "
                          "must be positive")
    if not 0 <= schedule.revisit_min_hours <= schedule.revisit_max_hours:
        raise ConfigError(f"{locate('schedule', 'revisit_min_hours')}: need 0 <= schedule.revisit_min_hours "
                          "<= schedule.revisit_max_hours")
    for index, portal in enumerate(portals):
        for key in ("schedule", "season"):
            _check_cron(getattr(portal, key), locate("portals", key, index), f"portals.{key}", index)


def _check_limits(built: dict, locate: _KeyLocator) -> None:
    """Limits must be positive numbers; the public URL must be an absolute http(s) URL."""
    numeric = [("reader", f.name) for f in dataclasses.fields(ReaderSettings)]
    numeric += [("crawler", "request_deadline_seconds"), ("crawler", "min_bytes_per_second"),
                ("web", "session_hours")]
    for table, key in numeric:
        value = getattr(built[table], key)
        if value <= 0 and not (key == "min_bytes_per_second" and value == 0):
            raise ConfigError(f"{locate(table, key)}: '{table}.{key}' must be positive, got {value!r}")
    url = built["web"].public_url
    if url and not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", url):
        raise ConfigError(f"{locate('web', 'public_url')}: 'web.public_url' must be an absolute http(s) URL "
                          f"such as \"https://nianbao.example.cn\", got {url!r}")


def _check_cron(expression: str, where: str, key: str, portal: int | None = None) -> None:
    from croniter import croniter

    if expression and not croniter.is_valid(expression):
        raise ConfigError(f"{where}: '{key}' is not a valid cron expression: {expression!r} "
                          "(five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * 1\")",
                          key=key, problem="cron", portal=portal)


_PORTAL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # a URL segment and a corpus folder name
_START_URL = re.compile(r"^https?://[^/\s?#]+(?:[/?#]\S*)?$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")


def _check_portal_entries(portals: tuple[PortalSettings, ...], locate: _KeyLocator) -> None:
    """A portal's name is a safe identifier, its title is not blank, its URLs and hosts are what a crawl can use."""
    for index, portal in enumerate(portals):
        checks = (("name", "name", not _PORTAL_NAME.match(portal.name),
                   "letters, digits, '_', '-' or '.', starting with a letter or digit (at most 64)"),
                  ("title", "empty", not portal.title.strip(), "a non-empty title"),
                  ("start_urls", "empty", not portal.start_urls, "at least one URL"),
                  ("start_urls", "url", any(not _START_URL.match(u) for u in portal.start_urls),
                   "absolute http(s) URLs such as \"https://www.example.gov.cn/\""),
                  ("allowed_hosts", "host", any(not _HOST.match(h) for h in portal.allowed_hosts),
                   "host names, optionally with a port (\"www.example.gov.cn\", \"127.0.0.1:8080\")"),
                  ("region", "region", len(portal.region) > 3 or any(not r.strip() for r in portal.region),
                   "[province, city, county]: at most three non-empty names"))
        for key, problem, bad, rule in checks:
            if bad:
                raise ConfigError(f"{locate('portals', key, index)}: 'portals.{key}' must be {rule}, "
                                  f"got {getattr(portal, key)!r}", key=f"portals.{key}", problem=problem, portal=index)


def _resolve(base: Path, value: Path) -> Path:
    value = Path(os.path.expanduser(value))
    return value if value.is_absolute() else base / value


def _build_index(table: dict, locate: _KeyLocator) -> IndexSettings:
    """`[index]` and one `[index.<engine>]` table per engine, each checked against that engine's settings."""
    names = tuple(ENGINE_SETTINGS)
    for name, sub in table.items():
        if isinstance(sub, dict) and name not in names:
            raise ConfigError(f"{locate(None, f'index.{name}')}: unknown engine table [index.{name}] "
                              f"(engines: {', '.join(names)})")
    engines = {name: _build(ENGINE_SETTINGS[name], sub, f"index.{name}", locate)
               for name, sub in table.items() if name in names and isinstance(sub, dict)}
    settings = _build(IndexSettings, {k: v for k, v in table.items() if k not in engines}, "index", locate)
    if settings.engine not in names:
        raise ConfigError(f"{locate('index', 'engine')}: index.engine must be one of {', '.join(names)}, "
                          f"got '{settings.engine}'")
    return dataclasses.replace(settings, engines=engines)


def _build(cls, table: dict, table_name: str, locate: _KeyLocator, index: int | None = None):
    if not isinstance(table, dict):
        raise ConfigError(f"{locate(table_name, None, index)}: each [[{table_name}]] entry must be a table")
    hints = typing.get_type_hints(cls)
    fields_by_name = {f.name: f for f in dataclasses.fields(cls) if f.metadata.get("table", True)}
    values = {}
    for key, value in table.items():
        if key not in fields_by_name:
            expected = ", ".join(fields_by_name)
            raise ConfigError(f"{locate(table_name, key, index)}: unknown key '{table_name}.{key}' (expected one of: {expected})",
                              key=f"{table_name}.{key}", problem="unknown", portal=index)
        try:
            values[key] = _coerce(value, hints[key])
        except TypeError as exc:
            raise ConfigError(f"{locate(table_name, key, index)}: '{table_name}.{key}' must be {exc}, got {value!r}",
                              key=f"{table_name}.{key}", problem="type", portal=index) from None
    for name, f in fields_by_name.items():
        if name not in values and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            where = locate(table_name, None, index)
            raise ConfigError(f"{where}: missing required key '{table_name}.{name}'", key=f"{table_name}.{name}",
                              problem="missing", portal=index)
    return cls(**values)


def _coerce(value, hint):
    """Check `value` against a type hint; raise TypeError('a description') when it does not fit."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _coerce(value, options[0])
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise TypeError(f"a list of {_describe(item, plural=True)}")
        try:
            return tuple(_coerce(v, item) for v in value)
        except TypeError:
            raise TypeError(f"a list of {_describe(item, plural=True)}") from None
    if hint is Path:
        if not isinstance(value, str):
            raise TypeError("a path string")
        return Path(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool) or not isinstance(value, hint):
        raise TypeError(_describe(hint))
    return value


def _describe(hint, plural: bool = False) -> str:
    if plural:
        return {str: "strings", int: "integers", float: "numbers", bool: "booleans"}.get(hint, str(hint))
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(hint, str(hint))


class _KeyLocator:
    """Finds `file:line` for a key, since tomllib does not report positions."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def __call__(self, table: str | None, key: str | None, index: int | None = None) -> str:
        current, seen = None, -1
        for number, line in enumerate(self.lines, start=1):
            header = self._HEADER.match(line)
            if header:
                current = header.group(1)
                if current == table:
                    seen += 1
                    if key is None and (index is None or seen == index):
                        return f"{self.path}:{number}"
                elif table is None and current == key:
                    return f"{self.path}:{number}"
                continue
            if current == table and (index is None or seen == index) and key is not None:
                if re.match(rf"^\s*{re.escape(key)}\s*=", line):
                    return f"{self.path}:{number}"
        return str(self.path)
