"""Serve stage, the console's words: every reason, outcome and time an operator reads, in Chinese.

The crawler and the reader record reasons as short English lines (`HTTP 404`, `refused: robots.txt
unavailable (connection failed: ConnectionError (gave up after 4 attempts))`, `too slow: …`) — stable text
that logs, the CLI and tests rely on. This module is the one place that turns them into Chinese for people;
templates show the Chinese and keep the recorded line one click away (`_wording.html`'s `reason` macro).
A reason no rule knows is shown as 「其他原因」 with its text, never dropped.

Times are stored as UTC ISO strings; they are shown in `[schedule] timezone` (the zone the crons are read
in), and every page names that zone.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

OUTCOMES = {"running": "进行中", "completed": "已完成", "stopped": "已停止", "failed": "失败",
            "interrupted": "已中断"}
URL_STATUSES = {"pending": "待抓取", "stored": "已保存", "failed": "失败", "refused": "已拒绝", "gone": "已下线",
                "skipped": "robots.txt 禁止，已跳过"}
URL_KINDS = {"report": "报告页", "attachment": "附件", "list": "列表页"}
DAEMON_STATES = {"running": "运行中", "stale": "无响应", "stopped": "已停止", "never": "从未启动"}
HTTP_STATUSES = {400: "请求无效", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 410: "页面已删除",
                 429: "请求过多", 500: "服务器内部错误", 502: "网关错误", 503: "服务暂不可用", 504: "网关超时"}

_GAVE_UP = re.compile(r"^(.*) \(gave up after (\d+) attempts\)$", re.S)


def _http(match: re.Match) -> str:
    code = int(match["code"])
    return f"HTTP {code}（{HTTP_STATUSES.get(code, '服务器返回错误')}）"


# (pattern, Chinese) in order; a template's {inner} is itself a reason, put in words the same way.
_RULES: tuple[tuple[re.Pattern, object], ...] = tuple((re.compile(p, re.S), t) for p, t in (
    (r"^robots$|^refused: disallowed by robots\.txt$", "robots.txt 禁止抓取此地址"),
    (r"^refused: robots\.txt unavailable \(earlier in this run: (?P<inner>.*)\)$",
     "已拒绝：本次运行先前未能取得该站的 robots.txt（{inner}），本地址未再请求"),
    (r"^refused: robots\.txt unavailable \((?P<inner>.*)\)$", "已拒绝：无法取得 robots.txt（{inner}）"),
    (r"^refused: (?P<host>.+) is not an allowed host$", "已拒绝：{host} 不在允许的主机之内"),
    (r"^robots\.txt redirected elsewhere$", "robots.txt 被重定向到别处"),
    (r"^more than (?P<n>\d+) redirects$", "重定向超过 {n} 次"),
    (r"^HTTP (?P<code>\d+) without Location$", "HTTP {code} 重定向缺少目标地址（Location）"),
    (r"^HTTP (?P<code>\d+), Retry-After (?P<s>\d+)s is longer than allowed$",
     "HTTP {code}：服务器要求 {s} 秒后重试，超过允许的等待时间"),
    (r"^HTTP (?P<code>\d+)$", _http),
    (r"^deadline: no complete response within (?P<s>[\d.]+)s$", "超过单次请求时限：{s} 秒内没有收到完整响应"),
    (r"^deadline: body incomplete after (?P<s>\d+)s \((?P<n>\d+) bytes\)$",
     "超过单次请求时限：{s} 秒后正文仍未收完（已收到 {n} 字节）"),
    (r"^too slow: (?P<n>\d+) bytes in (?P<s>\d+)s, minimum (?P<m>\d+) bytes/s$",
     "传输过慢：{s} 秒只收到 {n} 字节（最低 {m} 字节/秒）"),
    (r"^timed out after (?P<s>[\d.]+)s$", "等待 {s} 秒无响应（超时）"),
    (r"^connection failed: (?P<what>\w+)$", "连接失败（{what}）"),
    (r"^too large: (?P<n>\d+) bytes declared, limit (?P<m>\d+)$", "文件过大：声明 {n} 字节，上限 {m} 字节，未下载"),
    (r"^too large: aborted after (?P<n>\d+) bytes, limit (?P<m>\d+)$", "文件过大：收到 {n} 字节时中止（上限 {m} 字节）"),
    (r"^no start URL could be fetched$", "所有起始网址都无法获取"),
    (r"^stopped on request before the crawl finished$", "抓取完成前按要求停止"),
    (r"^page budget reached: (?P<n>\d+) list pages not visited \(max_pages (?P<m>\d+)\)$",
     "已达页面预算：{n} 个列表页未访问（max_pages {m}）"),
    (r"^interrupted: the daemon was asked to stop \(SIGTERM\).*$", "已中断：调度程序被要求停止（SIGTERM），下次启动时会重新抓取"),
    (r"^empty file$", "空文件"),
    (r"^no text in the file \(empty document\)$", "文件中没有文字（空文档）"),
    (r"^(?P<kind>\w+ )?document nested too deeply to read$", "文档嵌套过深，无法读取"),
    (r"^not a valid \.(?P<ext>\w+) file.*$", "不是有效的 .{ext} 文件"),
    (r"^unsupported format: reading \.doc/\.wps needs antiword or catdoc.*$", "无法读取 .doc/.wps：需要安装 antiword 或 catdoc"),
    (r"^unsupported format: (?P<what>.*)$", "不支持的格式（{what}）"),
    (r"^needs OCR: .*$", "需要文字识别（OCR）：PDF 没有文字层，是扫描图片"),
    (r"^broken or unreadable (?P<kind>PDF|DOCX|RTF)\b.*$", "{kind} 文件损坏或无法读取"),
    (r"^broken DOCX \(not a readable zip\).*$", "DOCX 文件损坏（不是可读的 zip）"),
    (r"^refused DOCX: .* unpacks to more than (?P<m>\d+) MB.*$", "已拒绝 DOCX：解压后超过 {m} MB"),
    (r"^PDF extraction took longer than (?P<s>[\d.]+) s.*$", "PDF 读取超过 {s} 秒，已放弃"),
    (r"^could not be read \((?P<what>\w+).*\)$", "无法读取（{what}）"),
))
_CJK = re.compile(r"[\u4e00-\u9fff]")


def reason_zh(text: str | None) -> str:
    """A recorded reason or run message in Chinese; "" for none."""
    if not text:
        return ""
    text = text.strip()
    gave_up = _GAVE_UP.match(text)
    if gave_up:
        return f"{reason_zh(gave_up[1])}，尝试 {gave_up[2]} 次后放弃"
    for pattern, template in _RULES:
        match = pattern.match(text)
        if match:
            if callable(template):
                return template(match)
            fields = match.groupdict()
            if "inner" in fields:
                fields["inner"] = reason_zh(fields["inner"])
            return template.format(**fields)
    return text if _CJK.search(text) else f"其他原因：{text}"


def zone_of(name: str) -> ZoneInfo:
    """The configured zone (validated at config load)."""
    return ZoneInfo(name)


def local_time(stamp: str | datetime | None, zone: str) -> str:
    """`2026-12-02T17:30:26+00:00` → `2026-12-03 01:30` in `zone`; "" for none."""
    if not stamp:
        return ""
    when = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(zone_of(zone)).strftime("%Y-%m-%d %H:%M")


def zone_label(zone: str) -> str:
    """`Asia/Shanghai（UTC+08:00）`: the zone by name and by offset now."""
    offset = datetime.now(zone_of(zone)).strftime("%z")
    return f"{zone}（UTC{offset[:3]}:{offset[3:]}）"
