"""Shell, config.toml as a living file: re-read when it changes, and portals written back from the console.

The file stays the source of truth. An edit is made on a tomlkit document (round-trip: comments, order and
layout of everything not edited survive), checked by `nianbao.config.settings_from_text` — the very check
`load_settings` runs, so the console can never write a file the CLI would refuse — and then written
atomically (a temporary file in the same folder, fsync, rename over the original, its mode kept).

`LiveSettings` is how the long-running processes (`nianbao serve`'s console, `nianbao schedule`) see edits,
whether made from the console or by hand: `current()` re-reads the file when its modification time or size
changed, and keeps the last good settings (with the error) while the file does not validate.
"""
from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import tomlkit

from nianbao.config import ConfigError, Settings, load_settings, settings_from_text

# The keys of a [[portals]] entry the console edits; every other key of an entry is left as it is.
EDITABLE = ("name", "title", "start_urls", "allowed_hosts", "region", "schedule", "enabled")
_WRITING = threading.Lock()  # one edit at a time in this process: read, change, check, rename


class ConfigWriteError(ConfigError):
    """config.toml could not be written (the edit was valid); the message is for the operator, in Chinese."""


class LiveSettings:
    """The settings of one config file, re-read whenever the file changes on disk."""

    def __init__(self, settings: Settings):
        self.path = Path(settings.source)
        self.settings, self.error = settings, None
        self._seen = self._signature()
        self._lock = threading.Lock()

    def current(self) -> Settings:
        """The latest valid settings; a file that stopped validating leaves the last good ones (see `error`)."""
        signature = self._signature()
        if signature is None or signature == self._seen:
            return self.settings
        with self._lock:
            if signature != self._seen:
                try:
                    self.settings, self.error = load_settings(self.path), None
                except ConfigError as exc:
                    self.error = str(exc)
                self._seen = signature
        return self.settings

    def _signature(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size


def add_portal(path: Path, values: Mapping) -> Settings:
    """Append a [[portals]] entry with `values` (keys of `EDITABLE`); returns the settings as now written."""
    def change(document: tomlkit.TOMLDocument) -> None:
        entries = document.get("portals")
        if entries is None:
            entries = tomlkit.aot()
            document.append("portals", entries)
        if len(entries):
            entries[-1].add(tomlkit.nl())  # a blank line between entries, as written by hand
        entry = tomlkit.table()
        _assign(entry, values)
        entries.append(entry)
    return _edit(path, change)


def update_portal(path: Path, name: str, values: Mapping) -> Settings:
    """Change the editable keys of portal `name` (an empty value removes an optional key); others stay."""
    return _edit(path, lambda document: _assign(_entry(document, name), values))


def set_enabled(path: Path, name: str, enabled: bool) -> Settings:
    """Enable or disable portal `name`."""
    return _edit(path, lambda document: _assign(_entry(document, name), {"enabled": enabled}))


def _entry(document: tomlkit.TOMLDocument, name: str):
    for entry in document.get("portals", []):
        if entry.get("name") == name:
            return entry
    raise ConfigError(f"no portal named '{name}'", key="portals.name", problem="unknown_portal")


def _assign(entry, values: Mapping) -> None:
    for key in EDITABLE:
        if key not in values:
            continue
        value = values[key]
        if value is None or value == "" or value == [] or value == ():
            if key in entry:
                del entry[key]
        else:
            entry[key] = list(value) if isinstance(value, tuple) else value


def _edit(path: Path, change) -> Settings:
    target = Path(path).resolve()  # a symlinked config is written where it points
    with _WRITING:
        try:
            text = target.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigWriteError(f"读不到配置文件 {target}：{exc.strerror or exc}", problem="unwritable") from None
        document = tomlkit.parse(text)
        change(document)
        edited = tomlkit.dumps(document)
        settings = settings_from_text(edited, Path(path))  # raises ConfigError exactly as `load_settings` would
        _write_atomically(target, edited)
    return settings


def _write_atomically(target: Path, text: str) -> None:
    """Temporary file beside the target, fsync, rename: a reader sees the old file or the new one, never half."""
    try:
        mode = target.stat().st_mode & 0o7777
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ConfigWriteError(_unwritable(target, exc), problem="unwritable") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigWriteError(_unwritable(target, exc), problem="unwritable") from None


def _unwritable(target: Path, exc: OSError) -> str:
    return (f"无法写入配置文件 {target}（{exc.strerror or exc}）：修改没有保存。请让运行 nianbao serve 的用户"
            f"能写入该文件及其所在文件夹 {target.parent}，或直接编辑该文件。")
