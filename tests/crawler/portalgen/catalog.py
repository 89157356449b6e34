"""The generated portals: one function per layout the country's portals use, each built from the family
templates in `families.py`, every one reached from its home page only.

Every portal has site chrome linking the rest of the site (新闻中心, 互动交流 …: a crawler must not go there),
noise columns (政务公开工作要点, 政府信息公开指南, 通知 about reports), and a robots.txt with a Disallow that
hides one report and a Crawl-delay. Some noise sits inside the 年报 columns themselves (a 图解, a notice).
"""
from __future__ import annotations

from tests.crawler.portalgen.families import (
    HanwebModule,
    Item,
    SiteSearch,
    attachment_only,
    hanweb_column,
    nav_page,
    noise_article,
    plain_list,
    report_page,
    trs_list,
)
from tests.crawler.portalgen.site import GBK_BARE, GBK_META, UTF8, Site

CRAWL_DELAY = 0.03
NEWS = [("/news/2024/01/art_1.html", "县长赴乡镇调研春耕生产"), ("/news/2024/01/art_2.html", "我县召开2023年度工作总结会议")]
DEPARTMENTS = ["县教育局", "县财政局", "县卫生健康局", "县自然资源局", "县民政局", "县交通运输局"]


def _chrome(site: Site, hub: tuple[str, str]) -> None:
    """Navigation bar, home-page news and the rest of the site that a crawler must leave alone."""
    site.nav = [("/", "首页"), ("/news/index.html", "新闻中心"), hub, ("/hdjl/index.html", "互动交流"),
                ("/bsfw/index.html", "办事服务")]
    for path, title in NEWS:
        site.page(path, f"{site.head(title)}{site.header()}<p>{title}</p>{site.footer()}")
    nav_page(site, "/news/index.html", "新闻中心", NEWS, [("/news/index.html", "新闻中心")])
    nav_page(site, "/hdjl/index.html", "互动交流", [("/hdjl/xx.html", "县长信箱")], [])
    nav_page(site, "/bsfw/index.html", "办事服务", [("/bsfw/a.html", "个人办事")], [])


def _home(site: Site, links: list[tuple[str, str]]) -> None:
    """The home page: a few links, the news, and the site-search form (most robots.txt keep crawlers out of it)."""
    SiteSearch(site)
    nav_page(site, "/", site.agency, links + NEWS, [], aside='<form action="/search/index.html" method="get">'
             '<input type="hidden" name="siteid" value="1"><input type="text" name="searchword">'
             '<button>搜索</button></form>')


def _notice(site: Site, path: str, family: str, crumbs) -> Item:
    return noise_article(site, path, "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知", family, crumbs)


def trs_hub_gbk() -> Site:
    """TRS, GBK with the charset only in <meta>: home → 政务公开 → 政府信息公开 → 法定主动公开内容 → 年报
    column (createPageHTML, 3 pages) → tYYYYMMDD pages, two with a PDF attachment; one report under a
    robots-disallowed folder."""
    site = Site("trs-hub-gbk", "青山县人民政府", GBK_META)
    _chrome(site, ("/zwgk/index.html", "政务公开"))
    root = "/zwgk/zfxxgk/fdzdgknr/"
    crumbs = [("/zwgk/index.html", "政务公开"), ("/zwgk/zfxxgk/index.html", "政府信息公开"),
              (root + "index.html", "法定主动公开内容"), (root + "zfxxgknb/", "政府信息公开年报")]
    items = []
    for year in range(2023, 2011, -1):
        path = f"{root}zfxxgknb/{year + 1}01/t{year + 1}0115_{8000 + year}.html"
        items.append(report_page(site, path, site.agency, year, "trs", crumbs,
                                 attachment="pdf" if year in (2019, 2016) else None))
    hidden = report_page(site, f"{root}zfxxgknb/ngg/t20240101_1.html", "青山县审计局", 2023, "trs", crumbs)
    site.reports.pop(hidden.href)
    site.disallowed.add(hidden.href)
    reading = noise_article(site, f"{root}zfxxgknb/202402/t20240220_1.html",
                            "图解：青山县人民政府2023年度政府信息公开工作年度报告", "trs", crumbs)
    trs_list(site, root + "zfxxgknb/", "政府信息公开年报", [reading] + items[:7] + [hidden] + items[7:], crumbs,
             per_page=5)
    notices = [_notice(site, root + "tzgg/202312/t20231201_1.html", "trs", crumbs[:3]),
               noise_article(site, root + "tzgg/202311/t20231101_2.html", "关于开展2023年度政务公开第三方评估的通知",
                             "trs", crumbs[:3])]
    trs_list(site, root + "tzgg/", "通知公告", notices, crumbs[:3])
    points = [noise_article(site, f"/zwgk/gzyd/{y}01/t{y}0301_{y}.html", f"青山县{y}年政务公开工作要点", "trs",
                            crumbs[:1]) for y in (2023, 2022)]
    trs_list(site, "/zwgk/gzyd/", "政务公开工作要点", points, crumbs[:1])
    guide = noise_article(site, "/zwgk/zfxxgk/zn/t20200101_1.html", "青山县人民政府政府信息公开指南", "trs", crumbs[:2])
    nav_page(site, "/zwgk/index.html", "政务公开", [("/zwgk/zfxxgk/index.html", "政府信息公开"),
                                                  ("/zwgk/gzyd/", "政务公开工作要点"), ("/zwgk/zcjd/", "政策解读")],
             crumbs[:1])
    nav_page(site, "/zwgk/zfxxgk/index.html", "政府信息公开", [
        (guide.href, "政府信息公开指南"), ("/zwgk/zfxxgk/zd/", "政府信息公开制度"),
        (root + "index.html", "法定主动公开内容"), ("/zwgk/zfxxgk/ysqgk/", "依申请公开")], crumbs[:2])
    nav_page(site, root + "index.html", "法定主动公开内容", [
        (root + "jgzn/", "机构职能"), (root + "zcwj/", "政策文件"), (root + "zfxxgknb/", "政府信息公开年报"),
        (root + "tzgg/", "通知公告")], crumbs[:3])
    _home(site, [("/zwgk/index.html", "政务公开")])
    site.robots([f"{root}zfxxgknb/ngg/", "/search/"], CRAWL_DELAY)
    return site


def trs_years_utf8() -> Site:
    """TRS with year sub-columns, UTF-8: home → 信息公开 → 年度报告 → 2023年度 / 2022年度 / 2021年度 (each a TRS
    list paged by `countPage`) → department report pages, and list entries that are the report file itself;
    the 2020 sub-column's link reads like a report title."""
    site = Site("trs-years-utf8", "白水县人民政府", UTF8)
    _chrome(site, ("/xxgk/index.html", "信息公开"))
    column = "/xxgk/ndbg/"
    crumbs = [("/xxgk/index.html", "信息公开"), (column, "年度报告")]
    years = []
    for year in (2023, 2022, 2021):
        sub = f"{column}{year}nd/"
        items = []
        for number, agency in enumerate(["白水县" + d[1:] for d in DEPARTMENTS]):
            if number == 5:
                items.append(attachment_only(site, f"{sub}W0{year + 1}02{number:04d}.wps", agency, year))
            else:
                items.append(report_page(site, f"{sub}{year + 1}02/t{year + 1}02{10 + number}_{year}{number}.html",
                                         agency, year, "trs", crumbs + [(sub, f"{year}年度")]))
        trs_list(site, sub, f"{year}年度", items, crumbs + [(sub, f"{year}年度")], per_page=4, style="countPage")
        years.append((sub, f"{year}年度"))
    # An older year's sub-column is titled like a report: the link alone cannot tell it from one.
    sub, label = f"{column}2020nd/", "2020年度政府信息公开工作年度报告"
    items = [report_page(site, f"{sub}202102/t2021021{n}_{n}.html", "白水县" + d[1:], 2020, "trs", crumbs + [(sub, label)])
             for n, d in enumerate(DEPARTMENTS[:4])]
    trs_list(site, sub, label, items, crumbs + [(sub, label)], per_page=4)
    nav_page(site, column, "年度报告", years + [(sub, label)], crumbs)
    site.routes[column + "index.html"] = site.routes[column]
    points = [noise_article(site, "/xxgk/gzyd/202303/t20230301_1.html", "白水县2023年政务公开工作要点", "trs", crumbs[:1])]
    trs_list(site, "/xxgk/gzyd/", "政务公开工作要点", points, crumbs[:1])
    nav_page(site, "/xxgk/index.html", "信息公开", [("/xxgk/zn/", "政府信息公开指南"), (column, "年度报告"),
                                                  ("/xxgk/gzyd/", "政务公开工作要点")], crumbs[:1])
    nav_page(site, "/xxgk/zn/", "政府信息公开指南", [], crumbs[:1])
    _home(site, [("/xxgk/index.html", "信息公开")])
    site.robots(["/xxgk/ndbg/2019nd/", "/search/"], CRAWL_DELAY)
    return site


def hanweb_gbk() -> Site:
    """Hanweb, GBK with no charset anywhere: `/` redirects (meta refresh) to the home page → 政府信息公开 → 法定主动公开内容 → 政府信息公开年报
    (`<datastore>` records, `?uid=&pageNum=` pages) → `/art/…` pages and a PDF download."""
    site = Site("hanweb-gbk", "临川区人民政府", GBK_BARE)
    _chrome(site, ("/col/col100/index.html", "政府信息公开"))
    crumbs = [("/col/col100/index.html", "政府信息公开"), ("/col/col200/index.html", "法定主动公开内容"),
              ("/col/col345/index.html", "政府信息公开年报")]
    items = [report_page(site, f"/art/{y + 1}/1/15/art_345_{9000 + y}.html", site.agency, y, "hanweb", crumbs)
             for y in range(2023, 2014, -1)]
    items.append(attachment_only(site, "/module/download/downfile.jsp?classid=0&filename=1501151234567.pdf",
                                 site.agency, 2014))
    hanweb_column(site, 345, "政府信息公开年报", items, crumbs, per_page=4)
    points = [noise_article(site, f"/art/{y}/3/1/art_346_{y}.html", f"临川区{y}年政务公开工作要点", "hanweb", crumbs[:2])
              for y in (2023, 2022, 2021)]
    hanweb_column(site, 346, "政务公开工作要点", points, crumbs[:2])
    hanweb_column(site, 347, "通知公告", [_notice(site, "/art/2023/12/1/art_347_1.html", "hanweb", crumbs[:2])],
                  crumbs[:2])
    nav_page(site, "/col/col100/index.html", "政府信息公开", [
        ("/col/col101/index.html", "政府信息公开指南"), ("/col/col200/index.html", "法定主动公开内容"),
        ("/col/col346/index.html", "政务公开工作要点")], crumbs[:1])
    nav_page(site, "/col/col101/index.html", "政府信息公开指南", [], crumbs[:1])
    nav_page(site, "/col/col200/index.html", "法定主动公开内容", [
        ("/col/col201/index.html", "机构职能"), ("/col/col345/index.html", "政府信息公开年报"),
        ("/col/col347/index.html", "通知公告")], crumbs[:2])
    _home(site, [("/col/col100/index.html", "政府信息公开")])
    site.routes["/index.html"] = site.routes["/"]  # the root only redirects there, as many portals' roots do
    site.page("/", '<html><head><meta http-equiv="refresh" content="0; url=/index.html"></head><body></body></html>')
    site.robots(["/module/search/", "/search/"], CRAWL_DELAY)
    return site


def hanweb_module() -> Site:
    """Hanweb with the disclosure system: 信息公开 → the `xxgkAnnualReport.jsp` module (5 units × 4 years, some
    missing) and 部门信息公开 → a department sub-site whose 年报 column loads its records from `dataproxy.jsp`."""
    site = Site("hanweb-module", "东平县人民政府", UTF8)
    _chrome(site, ("/col/col10/index.html", "信息公开"))
    crumbs = [("/col/col10/index.html", "信息公开")]
    units = {"11330100MB0000001X": "东平县人民政府", "11330100MB0000002X": "东平县教育局",
             "11330100MB0000003X": "东平县财政局", "11330100MB0000004X": "东平县民政局",
             "11330100MB0000005X": "东平县审计局"}
    module = HanwebModule(site, units, [2023, 2022, 2021, 2020], crumbs)
    for number, (code, agency) in enumerate(units.items()):
        for year in module.years:
            if (number + year) % 5 == 0:
                continue  # not every unit published every year
            if number == 3:
                item = attachment_only(site, f"/module/download/downfile.jsp?classid=0&filename={code}_{year}.pdf",
                                       agency, year)
            else:
                item = report_page(site, f"/art/{year + 1}/1/20/art_1229_{number}{year}.html", agency, year,
                                   "hanweb", crumbs)
            module.entries[(code, year)] = [item]
    dept = [("/col/col501/index.html", "东平县财政局"), ("/col/col511/index.html", "东平县水利局")]
    nav_page(site, "/col/col20/index.html", "部门信息公开", dept, crumbs)
    finance = [report_page(site, f"/art/{y + 1}/2/1/art_502_{y}.html", "东平县财政局（部门）", y, "hanweb",
                           [(dept[0][0], "东平县财政局")]) for y in range(2023, 2010, -1)]
    hanweb_column(site, 502, "政府信息公开年报", finance, [(dept[0][0], "东平县财政局")], per_page=3, paging="dataproxy")
    nav_page(site, dept[0][0], "东平县财政局", [("/col/col502/index.html", "政府信息公开年报"),
                                             ("/col/col503/index.html", "财政预决算")], [(dept[0][0], "东平县财政局")])
    water = [_notice(site, "/art/2023/12/5/art_512_1.html", "hanweb", [(dept[1][0], "东平县水利局")])]
    hanweb_column(site, 512, "通知公告", water, [(dept[1][0], "东平县水利局")])
    nav_page(site, dept[1][0], "东平县水利局", [("/col/col512/index.html", "通知公告")], [(dept[1][0], "东平县水利局")])
    nav_page(site, "/col/col10/index.html", "信息公开", [
        ("/col/col11/index.html", "政府信息公开指南"), (module.url("11330100MB0000001X", 2023), "政府信息公开年度报告"),
        ("/col/col20/index.html", "部门信息公开")], crumbs)
    nav_page(site, "/col/col11/index.html", "政府信息公开指南", [], crumbs)
    _home(site, [("/col/col10/index.html", "信息公开")])
    site.robots(["/module/search/", "/search/"], CRAWL_DELAY)
    return site


def plain_attachments() -> Site:
    """Plain lists, GBK with <meta> only: home → 信息公开目录 (its links in an iframe) → 年报 (`?pageNo=N`, 下一页/尾页) whose entries are
    PDF/DOC/WPS files named by unit code and year; the hub offers the 指南 and 工作要点 as files too."""
    site = Site("plain-attachments", "南湖区人民政府", GBK_META)
    _chrome(site, ("/xxgk/index.html", "信息公开目录"))
    crumbs = [("/xxgk/index.html", "信息公开目录"), ("/xxgk/gknb/list.html", "年报")]
    items = []
    for number, agency in enumerate(["南湖区人民政府", "南湖区教育局", "南湖区财政局"]):
        code = f"11330402MB00{number:05d}X"
        for year, suffix in ((2023, "pdf"), (2022, "doc"), (2021, "wps")):
            path = f"/uploads/gknb/{code}_{year}.{suffix}"
            text = f"{code}_{year}.{suffix}" if number == 2 else None  # the file name is all the list says
            items.append(attachment_only(site, path, agency, year, text))
    plain_list(site, "/xxgk/gknb/list.html", "年报", items, crumbs, per_page=4, param="pageNo")
    site.noise |= {"/uploads/zn.pdf", "/uploads/gzyd2023.doc"}
    site.file("/uploads/zn.pdf", b"%PDF-1.4 guide", "pdf")
    site.file("/uploads/gzyd2023.doc", b"not a report", "doc")
    site.page("/xxgk/index.html", f'{site.head("信息公开目录")}{site.header(crumbs[:1])}<iframe src="catalog.html" '
                                  f'width="100%" height="600"></iframe>{site.footer()}')  # the catalogue sits in a frame
    nav_page(site, "/xxgk/catalog.html", "信息公开目录", [
        ("/uploads/zn.pdf", "南湖区政府信息公开指南.pdf"), ("/uploads/gzyd2023.doc", "南湖区2023年政务公开工作要点.doc"),
        ("/xxgk/gknb/list.html", "年报"), ("/xxgk/tzgg/list.html", "通知")], crumbs[:1])
    plain_list(site, "/xxgk/tzgg/list.html", "通知", [_notice(site, "/xxgk/tzgg/1.html", "plain", crumbs[:1])],
               crumbs[:1])
    _home(site, [("/xxgk/index.html", "信息公开目录")])
    site.robots(["/uploads/private/", "/search/"], CRAWL_DELAY)
    return site


def townships() -> Site:
    """Plain lists behind directories: 政务公开 → 部门信息公开 / 乡镇（街道）信息公开 → each department's and
    township's own site → its own 政府信息公开年报 column (beside its 通知 and 新闻)."""
    site = Site("townships", "石门县人民政府", UTF8)
    _chrome(site, ("/zwgk/index.html", "政务公开"))
    crumbs = [("/zwgk/index.html", "政务公开")]
    directories = {"/zwgk/bmxxgk/index.html": ("部门信息公开", {"jyj": "石门县教育局", "wjw": "石门县卫生健康局",
                                                               "zrzy": "石门县自然资源局"}),
                   "/zwgk/xzxxgk/index.html": ("乡镇（街道）信息公开", {"cgz": "石门县城关镇", "dxz": "石门县东乡镇",
                                                                   "hjjd": "石门县河街街道"})}
    for directory, (label, units) in directories.items():
        prefix = "/bm/" if "bm" in directory else "/xz/"
        links = []
        for slug, agency in units.items():
            home = f"{prefix}{slug}/index.html"
            own = [(home, agency)]
            items = [report_page(site, f"{prefix}{slug}/gknb/{y}/index.html", agency, y, "plain", own)
                     for y in (2023, 2022, 2021)]
            plain_list(site, f"{prefix}{slug}/gknb/list.html", "政府信息公开年报", items, own, per_page=2)
            notice = _notice(site, f"{prefix}{slug}/tzgg/1.html", "plain", own)
            plain_list(site, f"{prefix}{slug}/tzgg/list.html", "通知公告", [notice], own)
            nav_page(site, home, agency, [(f"{prefix}{slug}/gknb/list.html", "政府信息公开年报"),
                                          (f"{prefix}{slug}/tzgg/list.html", "通知公告"), ("/news/index.html", "新闻")],
                     own)
            links.append((home, agency.removeprefix("石门县")))
        nav_page(site, directory, label, links, crumbs + [(directory, label)])
    nav_page(site, "/zwgk/index.html", "政务公开", [("/zwgk/bmxxgk/index.html", "部门信息公开"),
                                                  ("/zwgk/xzxxgk/index.html", "乡镇（街道）信息公开"),
                                                  ("/zwgk/gzyd/list.html", "政务公开工作要点")], crumbs)
    points = [noise_article(site, "/zwgk/gzyd/2023.html", "石门县2023年政务公开工作要点", "plain", crumbs)]
    plain_list(site, "/zwgk/gzyd/list.html", "政务公开工作要点", points, crumbs)
    _home(site, [("/zwgk/index.html", "政务公开")])
    site.robots(["/bm/wjw/gknb/2021/", "/search/"], CRAWL_DELAY)
    site.disallowed.add("/bm/wjw/gknb/2021/index.html")
    site.reports.pop("/bm/wjw/gknb/2021/index.html")
    return site


def issue_mixed() -> Site:
    """The issue's county: the home page teases a Hanweb department column; the TRS 年报 column (GBK, no
    charset anywhere, PDF attachments) lies behind a 政府信息公开 hub whose link does not say annual report."""
    site = Site("issue-mixed", "青铜县人民政府", GBK_BARE)
    _chrome(site, ("/zfxxgk/index.html", "政府信息公开"))
    crumbs = [("/zfxxgk/index.html", "政府信息公开"), ("/zfxxgk/zfxxgknb/", "政府信息公开年报")]
    items = [report_page(site, f"/zfxxgk/zfxxgknb/{y + 1}03/t{y + 1}0310_{700 + y}.html", site.agency, y, "trs", crumbs,
                         attachment="pdf" if y % 2 else None) for y in range(2023, 2013, -1)]
    notice = _notice(site, "/zfxxgk/zfxxgknb/202312/t20231201_9.html", "trs", crumbs)  # filed in the column
    trs_list(site, "/zfxxgk/zfxxgknb/", "政府信息公开年报", items[:3] + [notice] + items[3:], crumbs, per_page=6)
    own = [("/col/col700/index.html", "青铜县民政局政府信息公开年报")]
    civil = [report_page(site, f"/art/{y + 1}/1/10/art_700_{y}.html", "青铜县民政局", y, "hanweb", own)
             for y in range(2023, 2018, -1)]
    hanweb_column(site, 700, "青铜县民政局政府信息公开年报", civil, own, per_page=3)
    nav_page(site, "/zfxxgk/index.html", "政府信息公开", [
        ("/zfxxgk/zn/index.html", "政府信息公开指南"), ("/zfxxgk/zfxxgknb/", "政府信息公开年报"),
        ("/zfxxgk/gzyd/", "政务公开工作要点")], crumbs[:1])
    nav_page(site, "/zfxxgk/zn/index.html", "政府信息公开指南", [], crumbs[:1])
    trs_list(site, "/zfxxgk/gzyd/", "政务公开工作要点",
             [noise_article(site, "/zfxxgk/gzyd/202303/t20230301_1.html", "青铜县2023年政务公开工作要点", "trs", crumbs[:1])],
             crumbs[:1])
    _home(site, [("/col/col700/index.html", "县民政局政府信息公开年报"), ("/zfxxgk/index.html", "政府信息公开")])
    site.robots(["/search/"], CRAWL_DELAY)
    return site


def search_archive() -> Site:
    """Plain lists plus the site search: the 年度报告 column keeps three years; older reports (archived pages)
    are found only through the portal's own search, whose results also list a notice about reports."""
    site = Site("search-archive", "清河县人民政府", UTF8)
    _chrome(site, ("/zwgk/index.html", "政务公开"))
    crumbs = [("/zwgk/index.html", "政务公开"), ("/zwgk/ndbg/list.html", "年度报告")]
    recent = [report_page(site, f"/zwgk/ndbg/{y}.html", site.agency, y, "plain", crumbs) for y in (2023, 2022, 2021)]
    plain_list(site, "/zwgk/ndbg/list.html", "年度报告", recent, crumbs)
    for year in range(2020, 2012, -1):
        report_page(site, f"/archive/{year}/nb{year}.html", site.agency, year, "plain", [("/archive/", "归档")])
    _notice(site, "/zwgk/tzgg/1.html", "plain", crumbs[:1])
    nav_page(site, "/zwgk/index.html", "政务公开", [("/zwgk/ndbg/list.html", "年度报告"),
                                                  ("/zwgk/tzgg/list.html", "通知公告")], crumbs[:1])
    _home(site, [("/zwgk/index.html", "政务公开")])
    site.robots(["/archive/private/"], CRAWL_DELAY)
    return site


BUILDERS = {"trs-hub-gbk": (trs_hub_gbk, "trs", 3), "trs-years-utf8": (trs_years_utf8, "trs", 2),
            "hanweb-gbk": (hanweb_gbk, "hanweb", 2), "hanweb-module": (hanweb_module, "hanweb", 2),
            "plain-attachments": (plain_attachments, "plain", 1), "townships": (townships, "plain", 3),
            "issue-mixed": (issue_mixed, "trs+hanweb", 1), "search-archive": (search_archive, "plain+search", 1)}
