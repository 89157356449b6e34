"""The fetcher against a real local server: decoding, robots, pacing, retries, limits, redirects."""
from __future__ import annotations

import pytest

from crawler.fetch import Fetcher, Validators, allowed_sites, site_of
from crawler.page import decode_page
from nianbao.config import CrawlerSettings
from tests.crawler.server import PortalServer, Resource

SETTINGS = CrawlerSettings(user_agent="NianbaoBot/0.1", contact="ops@example.org", delay_seconds=0.02,
                           timeout_seconds=0.5, retries=2, backoff_seconds=0.05, max_bytes=100_000)
GBK_PAGE = "<html><head><title>年报</title></head><body><p>平潭综合实验区2020年度政府信息公开工作年度报告，" \
           "全年主动公开政府信息一万余条，依申请公开办结八十一件。</p></body></html>"


def serve(routes: dict[str, Resource]) -> PortalServer:
    return PortalServer({"/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain"), **routes})


def fetcher_for(server: PortalServer, settings: CrawlerSettings = SETTINGS, **kwargs) -> Fetcher:
    return Fetcher(settings, allowed_sites(("127.0.0.1",), (server.url("/"),)), **kwargs)


def gaps(server: PortalServer) -> list[float]:
    times = [r.at for r in server.log]
    return [b - a for a, b in zip(times, times[1:])]


@pytest.mark.parametrize("meta", ['<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', ""])
def test_gbk_page_without_charset_header_decodes(meta):
    body = GBK_PAGE.replace("<head>", "<head>" + meta).encode("gbk")
    with serve({"/a.html": Resource(body, "text/html")}) as server:
        response = fetcher_for(server).fetch(server.url("/a.html"))
    assert response.ok and response.charset is None
    assert "平潭综合实验区2020年度政府信息公开工作年度报告" in response.text()


@pytest.mark.parametrize("text", ["<a href=\"/a\">年报</a>", "<html><a href=\"x\">政府信息公开年报</a><a>首页</a></html>"])
def test_short_gbk_page_without_any_charset_is_not_misdetected(text):
    assert decode_page(text.encode("gbk")) == text


def test_decode_prefers_header_then_meta():
    body = '<meta charset="gbk"><p>年度报告</p>'.encode("gbk")
    assert "年度报告" in decode_page(body, None)
    assert "年度报告" in decode_page("<p>年度报告</p>".encode(), "utf-8")


def test_user_agent_names_contact_and_robots_disallow_is_never_requested():
    with serve({"/private/a.html": Resource(b"secret"), "/a.html": Resource(b"ok")}) as server:
        fetcher = fetcher_for(server)
        refused = fetcher.fetch(server.url("/private/a.html"))
        allowed = fetcher.fetch(server.url("/a.html"))
    assert refused.error == "refused: disallowed by robots.txt"
    assert allowed.ok
    assert [r.path for r in server.log] == ["/robots.txt", "/a.html"]
    assert all("ops@example.org" in r.headers["User-Agent"] for r in server.log)


def test_robots_crawl_delay_paces_requests_to_the_host():
    routes = {"/robots.txt": Resource(b"User-agent: *\nCrawl-delay: 0.3\n", "text/plain"),
              **{f"/{n}.html": Resource(b"ok") for n in range(3)}}
    with PortalServer(routes) as server:
        fetcher = fetcher_for(server)
        for n in range(3):
            assert fetcher.fetch(server.url(f"/{n}.html")).ok
    assert len(server.log) == 4 and min(gaps(server)) >= 0.3


def test_robots_txt_behind_a_redirect_is_obeyed():
    routes = {"/robots.txt": Resource(status=301, location="/robots-real.txt"),
              "/robots-real.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
              "/private/a.html": Resource(b"secret")}
    with PortalServer(routes) as server:
        response = fetcher_for(server).fetch(server.url("/private/a.html"))
    assert response.error == "refused: disallowed by robots.txt"
    assert [r.path for r in server.log] == ["/robots.txt", "/robots-real.txt"]


def test_unreachable_robots_txt_refuses_the_site():
    with PortalServer({"/robots.txt": Resource(status=500), "/a.html": Resource(b"ok")}) as server:
        response = fetcher_for(server).fetch(server.url("/a.html"))
    assert response.error and "robots.txt" in response.error
    assert "/a.html" not in [r.path for r in server.log]


def test_503_then_success_is_retried_with_backoff():
    with serve({"/a.html": Resource(b"ok", statuses=[503, 503])}) as server:
        response = fetcher_for(server).fetch(server.url("/a.html"))
    assert response.ok and response.content == b"ok" and response.attempts == 3
    page_requests = server.requests_for("/a.html")
    assert page_requests[1].at - page_requests[0].at >= 0.05
    assert page_requests[2].at - page_requests[1].at >= 0.1


def test_retry_after_is_honoured():
    with serve({"/a.html": Resource(b"ok", statuses=[429], retry_after="1")}) as server:
        response = fetcher_for(server).fetch(server.url("/a.html"))
    first, second = server.requests_for("/a.html")
    assert response.ok and second.at - first.at >= 1.0


def test_persistent_5xx_gives_up_with_reason():
    with serve({"/a.html": Resource(status=502)}) as server:
        response = fetcher_for(server).fetch(server.url("/a.html"))
    assert not response.ok and "HTTP 502" in response.error and "3 attempts" in response.error
    assert len(server.requests_for("/a.html")) == 3


@pytest.mark.parametrize("status", [403, 404, 410])
def test_other_4xx_are_not_retried(status):
    with serve({"/a.html": Resource(status=status)}) as server:
        response = fetcher_for(server).fetch(server.url("/a.html"))
    assert response.error == f"HTTP {status}" and len(server.requests_for("/a.html")) == 1


def test_timeout_is_reported_in_words():
    with serve({"/slow.html": Resource(b"late", delay=1.5)}) as server:
        response = fetcher_for(server, CrawlerSettings(timeout_seconds=0.3, retries=0, delay_seconds=0)).fetch(
            server.url("/slow.html"))
    assert response.error == "timed out after 0.3s"


def test_size_limit_declared_and_streamed():
    with serve({"/big.pdf": Resource(b"x" * 200_000, "application/pdf"),
                "/stream": Resource(stream_bytes=2_000_000)}) as server:
        fetcher = fetcher_for(server)
        declared = fetcher.fetch(server.url("/big.pdf"))
        streamed = fetcher.fetch(server.url("/stream"))
    assert declared.error.startswith("too large: 200000 bytes declared")
    assert streamed.error.startswith("too large: aborted after") and not streamed.content


def test_redirects_followed_within_allowed_hosts_only():
    routes = {"/old.html": Resource(status=301, location="/new.html"), "/new.html": Resource(b"moved here"),
              "/away.html": Resource(status=302, location="http://localhost:{port}/new.html")}
    with serve(routes) as server:
        fetcher = fetcher_for(server)
        moved = fetcher.fetch(server.url("/old.html"))
        away = fetcher.fetch(server.url("/away.html"))
    assert moved.ok and moved.content == b"moved here" and moved.final_url == server.url("/new.html")
    assert away.error == f"refused: localhost:{server.port} is not an allowed host"
    assert not any(r.headers.get("Host", "").startswith("localhost") for r in server.log)


def test_another_port_on_the_same_address_is_another_host():
    with serve({"/a.html": Resource(b"mine")}) as other, serve({}) as server:
        server.routes["/away.html"] = Resource(status=302, location=other.url("/a.html"))
        response = fetcher_for(server).fetch(server.url("/away.html"))
    assert response.error == f"refused: 127.0.0.1:{other.port} is not an allowed host"
    assert not other.log


def test_allowed_sites_from_config_entries():
    assert allowed_sites((), ("http://www.a.gov.cn/", "https://b.gov.cn:8443/x")) == {"www.a.gov.cn", "b.gov.cn:8443"}
    assert allowed_sites(("www.a.gov.cn", "files.a.gov.cn"), ("http://www.a.gov.cn:8080/",)) == {
        "www.a.gov.cn", "www.a.gov.cn:8080", "files.a.gov.cn", "files.a.gov.cn:8080"}
    assert site_of("https://WWW.A.gov.cn:443/x") == "www.a.gov.cn"


def test_conditional_get_gets_304_without_body():
    with serve({"/a.html": Resource(b"report body")}) as server:
        fetcher = fetcher_for(server)
        first = fetcher.fetch(server.url("/a.html"))
        second = fetcher.fetch(server.url("/a.html"), Validators(first.etag, first.last_modified))
    assert first.ok and first.etag and first.last_modified
    assert second.not_modified and second.content == b""
    assert server.requests_for("/a.html")[1].headers["If-None-Match"] == first.etag


def test_stop_flag_interrupts_a_wait():
    from crawler.fetch import Stopped

    with serve({"/a.html": Resource(b"ok", statuses=[503], retry_after="30")}) as server:
        calls = []
        fetcher = fetcher_for(server, should_stop=lambda: calls.append(1) or len(calls) > 3)
        with pytest.raises(Stopped):
            fetcher.fetch(server.url("/a.html"))
    assert len(server.requests_for("/a.html")) == 1


def test_a_refusal_for_an_unreachable_robots_txt_counts_the_requests_it_made():
    with serve({"/robots.txt": Resource(status=503), "/a.html": Resource(b"ok"), "/b.html": Resource(b"ok")}) as server:
        fetcher = fetcher_for(server)
        first = fetcher.fetch(server.url("/a.html"))
        second = fetcher.fetch(server.url("/b.html"))
    robots_requests = len(server.requests_for("/robots.txt"))
    assert robots_requests == 3 and "gave up after 3 attempts" in first.error
    assert first.error.startswith("refused: robots.txt unavailable") and first.attempts == robots_requests
    assert second.attempts == 0 and "earlier in this run" in second.error  # no request of its own
    assert server.requests_for("/a.html") == [] and server.requests_for("/b.html") == []
