"""Page templates of the CMS families, as the country's portals write them (DESIGN §3).

- TRS: list `index.html`, `index_1.html` … announced by `createPageHTML(n, i, "index", "html")` or
  `var countPage = n`; detail `./YYYYMM/tYYYYMMDD_NNN.html` with `ArticleTitle`/`PubDate` meta and the text
  in `.TRS_Editor`; attachments `P0202…pdf` beside the detail page.
- Hanweb/大汉: `/col/colN/index.html` whose records sit in `<script type="text/xml"><datastore>` CDATA,
  paged by `?uid=U&pageNum=N` or loaded from `/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…`;
  detail `/art/YYYY/M/D/art_N_M.html` with `#zoom`; the disclosure module
  `/module/xxgk/xxgkAnnualReport.jsp?area=CODE&fbtime=YEAR` (one page per unit × year).
- Plain lists: `<ul>` with `下一页`/`尾页` and `?page=N` links.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from tests.crawler.portalgen.site import LAST_MODIFIED, Site, esc, file_bytes, report_text, report_title
from tests.crawler.server import Resource

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
MODULE = "/module/xxgk/xxgkAnnualReport.jsp"


@dataclass(frozen=True)
class Item:
    """One list entry: where it points and what it says (lists often cut the text; `title` keeps it whole)."""

    href: str
    title: str
    date: str = "2024-01-15"

    def li(self, cut: int = 0) -> str:
        text = self.title[:cut] + "…" if cut and len(self.title) > cut else self.title
        return f'<li><a href="{esc(self.href)}" title="{esc(self.title)}" target="_blank">{esc(text)}</a>' \
               f'<span class="date">{self.date}</span></li>'


# detail pages -------------------------------------------------------------------------------------------

def article(site: Site, path: str, title: str, paragraphs: list[str], family: str,
            crumbs: list[tuple[str, str]], extra: str = "") -> None:
    """A detail page of `family` (TRS meta and `.TRS_Editor`, Hanweb `#zoom`, plain `.content`)."""
    container = {"trs": 'class="TRS_Editor"', "hanweb": 'id="zoom"'}.get(family, 'class="content"')
    meta = (f'<meta name="ArticleTitle" content="{esc(title)}"><meta name="PubDate" content="2024-01-15 09:30">'
            f'<meta name="ColumnName" content="{esc(crumbs[-1][1]) if crumbs else ""}">') if family == "trs" else ""
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    site.page(path, f'{site.head(title, meta)}{site.header(crumbs)}<div class="article"><h1>{esc(title)}</h1>'
                    f'<div class="info">发布日期：2024-01-15 来源：{esc(site.agency)} 浏览次数：<span id="hits">'
                    f'{len(path) * 37}</span></div><div {container}>{body}</div>{extra}</div>{site.footer()}')


def report_page(site: Site, path: str, agency: str, year: int, family: str, crumbs: list[tuple[str, str]],
                attachment: str | None = None) -> Item:
    """A report page (and its attachment, when `attachment` is a suffix); both are reports to store."""
    title = report_title(agency, year)
    site.report(path, title)
    extra = ""
    if attachment:
        directory = path.rsplit("/", 1)[0]
        file_path = f"{directory}/P0{year + 1}0115{zlib.crc32(path.encode()) % 10 ** 8:08d}.{attachment}"
        site.file(file_path, file_bytes(attachment, [title, *report_text(agency, year)]), attachment)
        site.report(file_path, title)
        extra = f'<div class="fj">附件：<a href="{file_path.rsplit("/", 1)[1]}">{esc(title)}.{attachment}</a></div>'
        paragraphs = [f"{title}全文详见附件。"]
    else:
        paragraphs = report_text(agency, year)
    article(site, path, title, paragraphs, family, crumbs, extra)
    site.searchable.append(Item(path, title))
    return Item(path, title)


def attachment_only(site: Site, path: str, agency: str, year: int, link_text: str | None = None) -> Item:
    """A list entry that is the report file itself (named by unit code and year, e.g. `113301…_2023.wps`)."""
    suffix = path.rsplit(".", 1)[1]
    title = report_title(agency, year)
    site.file(path, file_bytes(suffix, [title, *report_text(agency, year)]), suffix)
    site.report(path, title)
    site.searchable.append(Item(path, title))
    return Item(path, link_text or title)


def noise_article(site: Site, path: str, title: str, family: str, crumbs: list[tuple[str, str]]) -> Item:
    """A page that is not a report however close its title comes (工作要点, 指南, a notice about reports)."""
    site.noise.add(path)
    article(site, path, title, [f"{title}。各单位要高度重视，认真组织实施。", "特此通知。"], family, crumbs)
    site.searchable.append(Item(path, title))
    return Item(path, title)


# list pages ---------------------------------------------------------------------------------------------

def _list_html(site: Site, title: str, items: list[Item], crumbs, pager: str, cut: int = 0) -> str:
    lis = "".join(item.li(cut) for item in items)
    return (f'{site.head(title)}{site.header(crumbs)}<div class="column"><h2>{esc(title)}</h2>'
            f'<ul class="list">{lis}</ul>{pager}</div>{site.footer()}')


def trs_list(site: Site, directory: str, title: str, items: list[Item], crumbs, per_page: int = 5,
             style: str = "createPageHTML") -> str:
    """A TRS column `directory` (ending in /): `index.html`, `index_1.html` …; returns the first page's path."""
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    for number, chunk in enumerate(pages):
        name = "index.html" if number == 0 else f"index_{number}.html"
        script = (f'createPageHTML({len(pages)}, {number}, "index", "html");' if style == "createPageHTML" else
                  f'var countPage = {len(pages)};//共多少页\nvar currentPage = {number};')
        site.page(directory + name, _list_html(site, title, chunk, crumbs, f'<div class="page"><script>{script}'
                                                                           f'</script></div>', cut=18))
    site.routes[directory] = site.routes[directory + "index.html"]
    return directory + "index.html"


def plain_list(site: Site, path: str, title: str, items: list[Item], crumbs, per_page: int = 5,
               param: str = "page") -> str:
    """A plain list `path` with `?page=N` pages linked by 上一页/下一页/尾页; returns `path`."""
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    name = path.rsplit("/", 1)[1] or ""
    for number, chunk in enumerate(pages, start=1):
        links = []
        if number > 1:
            links += [f'<a href="{name}?{param}=1">首页</a>', f'<a href="{name}?{param}={number - 1}">上一页</a>']
        if number < len(pages):
            links += [f'<a href="{name}?{param}={number + 1}">下一页</a>',
                      f'<a href="{name}?{param}={len(pages)}">尾页</a>']
        pager = f'<div class="pager">共{len(pages)}页 {" ".join(links)}</div>'
        html = _list_html(site, title, chunk, crumbs, pager)
        site.page(f"{path}?{param}={number}", html)
        if number == 1:
            site.page(path, html)
    return path


def hanweb_column(site: Site, column: int, title: str, items: list[Item], crumbs, per_page: int = 4,
                  paging: str = "pagenum") -> str:
    """A Hanweb column `/col/col<column>/index.html`; pages by `?uid=&pageNum=` or from `dataproxy.jsp`."""
    path, unit = f"/col/col{column}/index.html", 5000 + column
    proxy = f"{DATAPROXY}?page=1&appid=1&webid=1&path=/&columnid={column}&unitid={unit}&webname=x&permissiontype=0"
    if paging == "dataproxy":
        group = per_page * 3
        site.page(path, _hanweb_html(site, title, items[:group], crumbs, unit, proxy, len(items), per_page))
        site.dynamic.setdefault(DATAPROXY, _DataProxy(site)).columns[str(column)] = items
        return path
    pages = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        html = _hanweb_html(site, title, chunk, crumbs, unit, proxy, len(items), per_page)
        site.page(f"{path}?uid={unit}&pageNum={number}", html)
        if number == 1:
            site.page(path, html)
    return path


def _records(items: list[Item]) -> str:
    return "".join(f"<record><![CDATA[{item.li(cut=16)}]]></record>" for item in items)


def _hanweb_html(site: Site, title: str, items: list[Item], crumbs, unit: int, proxy: str, total: int,
                 per_page: int) -> str:
    store = (f'<div id="{unit}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{esc(proxy)}">'
             f'</a>]]></nextgroup><recordset>{_records(items)}</recordset></datastore></script>'
             f'<script language="javascript" src="/module/web/jpage/jpage.js"></script></div>'
             f'<script>var jpage = {{totalRecord: {total}, perPage: {per_page}, unitid: {unit}}};</script>')
    return f'{site.head(title)}{site.header(crumbs)}<div class="column"><h2>{esc(title)}</h2>{store}</div>{site.footer()}'


class _DataProxy:
    """`dataproxy.jsp?columnid=C&startrecord=S&endrecord=E`: records S..E of column C, as Hanweb answers."""

    def __init__(self, site: Site):
        self.site, self.columns = site, {}

    def __call__(self, query: dict[str, str]) -> Resource | None:
        items = self.columns.get(query.get("columnid", ""))
        try:
            start, end = int(query["startrecord"]), int(query["endrecord"])
        except (KeyError, ValueError):
            return None
        if items is None or start < 1:
            return None
        body = f"<datastore><totalrecord>{len(items)}</totalrecord><recordset>{_records(items[start - 1:end])}" \
               "</recordset></datastore>"
        return Resource(body.encode(self.site.encoding.name, "xmlcharrefreplace"), "text/xml; charset="
                        + self.site.encoding.name, last_modified=LAST_MODIFIED)


class HanwebModule:
    """`xxgkAnnualReport.jsp?area=CODE&fbtime=YEAR`: the reports of one unit and year, beside the unit tree
    (links to every unit) and a year `<select>`; an unknown unit or year gives an empty table."""

    def __init__(self, site: Site, units: dict[str, str], years: list[int], crumbs):
        self.site, self.units, self.years, self.crumbs = site, units, years, crumbs
        self.entries: dict[tuple[str, int], list[Item]] = {}
        site.dynamic[MODULE] = self

    def url(self, area: str, year: int) -> str:
        return f"{MODULE}?area={area}&fbtime={year}"

    def __call__(self, query: dict[str, str]) -> Resource | None:
        area, year = query.get("area", ""), query.get("fbtime", "")
        if area not in self.units or not year.isdigit():
            return None
        items = self.entries.get((area, int(year)), [])
        tree = "".join(f'<li><a href="xxgkAnnualReport.jsp?area={code}&fbtime={year}">{esc(name)}</a></li>'
                       for code, name in self.units.items())
        options = "".join(f'<option value="{y}"{" selected" if str(y) == year else ""}>{y}年</option>'
                          for y in self.years)
        rows = "".join(f'<tr><td><a href="{esc(i.href)}" target="_blank">{esc(i.title)}</a></td>'
                       f'<td>{i.date}</td></tr>' for i in items) or '<tr><td colspan="2">暂无数据</td></tr>'
        title = f"{self.units[area]}政府信息公开年度报告"
        html = (f'{self.site.head(title)}{self.site.header(self.crumbs)}<div class="xxgk"><ul class="tree">{tree}</ul>'
                f'<form><select name="fbtime" id="fbtime">{options}</select></form>'
                f'<table class="nb">{rows}</table></div>{self.site.footer()}')
        return self.site.html(html)


class SiteSearch:
    """`/search/index.html?searchword=…&page=N`: the site's pages whose title contains the words, 4 a page,
    with 下一页/尾页 links (a portal's own full-text search, as plain as they come)."""

    PATH = "/search/index.html"

    def __init__(self, site: Site):
        self.site = site
        site.dynamic[self.PATH] = self

    def __call__(self, query: dict[str, str]) -> Resource | None:
        words = query.get("searchword", "").strip()
        page = int(query["page"]) if query.get("page", "").isdigit() else 1
        hits = [item for item in self.site.searchable if words and words in item.title]
        pages = max(1, -(-len(hits) // 4))
        if page > pages:
            return None
        links = [f'<a href="index.html?searchword={words}&page={page + 1}">下一页</a>',
                 f'<a href="index.html?searchword={words}&page={pages}">尾页</a>'] if page < pages else []
        html = _list_html(self.site, f"搜索：{words}", hits[(page - 1) * 4:page * 4], [],
                          f'<div class="pager">共{len(hits)}条 {" ".join(links)}</div>')
        return self.site.html(html)


def nav_page(site: Site, path: str, title: str, links: list[tuple[str, str]], crumbs, *, aside: str = "") -> str:
    """A hub or catalogue page: a block of links to columns (and whatever else the site puts there)."""
    lis = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
    site.page(path, f'{site.head(title)}{site.header(crumbs)}<div class="catalog"><h2>{esc(title)}</h2>'
                    f'<ul>{lis}</ul>{aside}</div>{site.footer()}')
    return path
