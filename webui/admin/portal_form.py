"""Serve stage, the console's portal form: posted fields → a [[portals]] entry, and the config check's verdict
→ a Chinese message beside the field it is about.

The form checks nothing itself: the values go to `nianbao.config`'s load-time validation (through the
operations service), which raises `ConfigError` with a `key` and a `problem` code; this module only puts
that verdict in Chinese. So the console and a hand-edited config.toml accept exactly the same entries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from nianbao.config import ConfigError, PortalSettings

LABELS = {"name": "标识名", "title": "门户名称", "start_urls": "起始网址", "allowed_hosts": "允许的主机",
          "region": "地区", "schedule": "抓取计划（cron）", "enabled": "启用"}
REGION_PARTS = (("province", "省"), ("city", "市"), ("county", "县/区"))
_PROBLEMS = {
    "missing": "必须填写。",
    "empty": "不能为空。",
    "type": "格式不对。",
    "duplicate": "已有同名门户，请换一个标识名。",
    "name": "只能用字母、数字、下划线、连字符或点，以字母或数字开头，最多 64 个字符（用于网址和文件夹名）。",
    "url": "每行一个完整网址，以 http:// 或 https:// 开头，例如 https://www.example.gov.cn/。",
    "host": "每行一个主机名，可带端口，例如 www.example.gov.cn 或 127.0.0.1:8080。",
    "region": "省、市、县各填一个名称，可只填前几级。",
    "cron": "不是有效的 cron 表达式：需要五段（分 时 日 月 周），例如「0 3 * * 1」表示每周一 03:00。",
    "range": "取值超出允许范围。",
    "unknown": "不是门户条目认识的设置项。",
    "unknown_portal": "配置文件中已没有这个门户（可能刚被别人修改），请返回列表刷新。",
}


@dataclass
class PortalForm:
    """What the form shows: the values as typed, and Chinese errors by field ("" = the whole form)."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, portal: PortalSettings | None) -> PortalForm:
        """The form filled from a configured portal (or empty, enabled, for a new one)."""
        if portal is None:
            return cls({"enabled": True, "region": ("", "", "")})
        return cls({"name": portal.name, "title": portal.title, "start_urls": "\n".join(portal.start_urls),
                    "allowed_hosts": "\n".join(portal.allowed_hosts), "schedule": portal.schedule,
                    "region": tuple(portal.region) + ("",) * (3 - len(portal.region)), "enabled": portal.enabled})

    @classmethod
    def posted(cls, form: MultiDict) -> PortalForm:
        """The form as submitted (kept as typed, so a refused form comes back filled in)."""
        return cls({"name": form.get("name", "").strip(), "title": form.get("title", "").strip(),
                    "start_urls": form.get("start_urls", ""), "allowed_hosts": form.get("allowed_hosts", ""),
                    "schedule": " ".join(form.get("schedule", "").split()),
                    "region": tuple(form.get(f"region_{k}", "").strip() for k, _ in REGION_PARTS),
                    "enabled": form.get("enabled") == "on"})

    def entry(self, with_name: bool) -> dict:
        """The [[portals]] keys to write; empty optional fields are left out (the defaults apply)."""
        region = list(self.values["region"])
        while region and not region[-1]:
            region.pop()
        entry = {"title": self.values["title"] or None, "start_urls": _lines(self.values["start_urls"]),
                 "allowed_hosts": _lines(self.values["allowed_hosts"]), "region": region,
                 "schedule": self.values["schedule"], "enabled": self.values["enabled"]}
        if with_name:
            entry["name"] = self.values["name"] or None
        return entry

    def refuse(self, error: ConfigError) -> None:
        """Put the config check's verdict beside its field, in Chinese (the check's own line is kept too)."""
        if error.problem == "unwritable":  # the edit was valid; the file could not be written
            self.errors[""] = str(error)
            return
        key = (error.key or "").removeprefix("portals.")
        message = _PROBLEMS.get(error.problem or "", "")
        if key in LABELS and message:
            self.errors[key] = f"{LABELS[key]}：{message}"
        else:
            self.errors[""] = f"配置检查未通过：{message or error}"
        self.errors["detail"] = str(error)


def _lines(text: str) -> list[str]:
    """One value per line (commas and spaces separate too)."""
    return [part for part in re.split(r"[\s,，]+", text) if part]
