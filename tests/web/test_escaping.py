"""Untrusted report text, titles, URLs and queries never become markup or script; CSP forbids inline code."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from markupsafe import escape

import webui

INJECTED = ("<script>alert", "<img src=x", "onerror=alert(1)>", 'href="javascript:', "href='javascript:")
HOSTILE_QUERIES = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
                   '一窗受理 "<script>', "agency:<script>alert(1)</script>")


def assert_inert(text: str) -> None:
    for needle in INJECTED:
        assert needle not in text, needle
    # The only script allowed is our own static file (CSP script-src 'self').
    assert not re.search(r'<script(?! src="/static/[a-z]+\.js" defer></script>)', text)


def hostile_urls(client) -> list[str]:
    hits = client.get("/api/search?q=agency:测试局&per_page=50").get_json()["hits"]
    urls = ["/?q=agency:测试局", "/?q=一窗受理", "/kwic?q=一窗受理", "/kwic?q=一窗受理&sort=left", "/?q=alert&year=2020"]
    for hit in hits:
        urls += [f"/reports/{hit['report_id']}", f"/reports/{hit['report_id']}?q=script"]
    return urls


def test_report_text_titles_and_urls_are_escaped_everywhere(hostile):
    urls = hostile_urls(hostile)
    assert len(urls) >= 9
    for url in urls:
        response = hostile.get(url)
        assert response.status_code == 200, url
        assert_inert(response.get_data(as_text=True))
    page = hostile.get("/?q=agency:测试局").get_data(as_text=True)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page  # shown as text, not dropped
    # The read stage tidies the title's spacing; whatever it kept must be shown escaped, not dropped.
    title = hostile.get("/api/search?q=agency:测试局 year:2020").get_json()["hits"][0]["title"]
    assert "<img" in title and str(escape(title)) in page


def test_javascript_urls_never_reach_an_href(hostile):
    hit = hostile.get("/api/search?q=agency:测试局 year:2020").get_json()["hits"][0]
    assert hit["url"].startswith("javascript:")
    for url in ("/?q=agency:测试局", f"/reports/{hit['report_id']}"):
        hrefs = re.findall(r'href="([^"]*)"', hostile.get(url).get_data(as_text=True))
        assert hrefs and not [h for h in hrefs if h.strip().lower().startswith("javascript")]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_queries_are_escaped_on_every_page(hostile, query):
    hit = hostile.get("/api/search?q=agency:测试局").get_json()["hits"][0]
    for url in ("/?q=", "/kwic?q=", f"/reports/{hit['report_id']}?q=", "/?year=2020&q=", "/?agency=x&q="):
        response = hostile.get(url + quote(query))
        assert response.status_code in (200, 400), url
        assert_inert(response.get_data(as_text=True))


def test_filter_values_are_escaped_in_chips_and_hidden_inputs(hostile):
    text = hostile.get("/?q=一窗受理&agency=" + quote('"><script>alert(1)</script>')).get_data(as_text=True)
    assert_inert(text)
    assert 'value="&#34;&gt;&lt;script&gt;' in text


def test_content_security_policy_forbids_inline_code(hostile):
    response = hostile.get("/?q=一窗受理")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    templates = Path(webui.__file__).parent / "templates"
    for template in templates.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?! src=)", source), template.name
        assert " style=" not in source and "<style" not in source, template.name
