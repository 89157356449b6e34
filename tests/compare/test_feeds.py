"""Saved searches as Atom feeds, fetched from a real `nianbao serve` and read by feedparser, as a feed reader
would: newest indexed first, growing after the next index run, filters and batches respected."""
from __future__ import annotations

from urllib.parse import urlsplit

import feedparser
import pytest
import requests

from indexer.ledger import indexed_times
from nianbao.config import load_settings
from nianbao.pipeline import index_corpus
from tests.compare.test_near_duplicates import BODY, OTHER, add
from tests.conftest import write_config
from tests.web.conftest import serving


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory):
    """A served index of two reports; the tests add a third and index again (as after a crawl)."""
    folder = tmp_path_factory.mktemp("feeds")
    corpus = folder / "corpus"
    add(corpus, "a", "甲县审批服务管理局", BODY)
    add(corpus, "c", "丙县水利局", OTHER)
    config = write_config(folder, corpus)
    index_corpus(load_settings(config))
    for base in serving(config):
        yield base, load_settings(config)


def read_feed(url: str) -> feedparser.FeedParserDict:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_a_search_feed_lists_matching_reports_and_grows_newest_first_after_indexing(feed_site):
    base, settings = feed_site
    feed = read_feed(base + "/feed.atom?q=信息公开")
    assert feed.feed.title == "年报搜索 · “信息公开”"
    assert sorted(e.title for e in feed.entries) == ["丙县水利局2022年政府信息公开工作年度报告",
                                                     "甲县审批服务管理局2022年政府信息公开工作年度报告"]
    assert {e.author for e in feed.entries} == {"甲县审批服务管理局", "丙县水利局"}

    add(settings.paths.corpus, "d", "丁县教育局", BODY.replace("营商环境", "教育公平"))
    index_corpus(settings)
    feed = read_feed(base + "/feed.atom?q=信息公开")
    assert feed.entries[0].title == "丁县教育局2022年政府信息公开工作年度报告"
    assert len(feed.entries) == 3
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    first = indexed_times(settings.paths.index)
    assert feed.entries[0].published.startswith(max(t[0] for t in first.values())[:19])
    # Links are absolute from `[web] public_url` (unset here: the server's own name), so fetch the path.
    report = requests.get(base + urlsplit(feed.entries[0].link).path, timeout=30)
    assert report.status_code == 200 and "丁县教育局" in report.text


def test_a_feed_keeps_the_search_filters(feed_site):
    base, _ = feed_site
    feed = read_feed(base + "/feed.atom?q=&agency=水利局")
    assert [e.author for e in feed.entries] == ["丙县水利局"]
    assert "机构：水利局" in feed.feed.title
    assert read_feed(base + '/feed.atom?q="灌区改造"').entries[0].author == "丙县水利局"
    assert read_feed(base + "/feed.atom?q=没有这个词语").entries == []


def test_a_batch_feed_names_the_terms_each_report_matched(feed_site):
    base, _ = feed_site
    feed = read_feed(base + "/batch/feed.atom?terms=一窗受理%0A灌区改造%0A从未出现")
    matched = {e.author: e.summary.split("匹配：")[1] for e in feed.entries}
    assert matched["丙县水利局"] == "灌区改造" and matched["甲县审批服务管理局"] == "一窗受理"
    assert "批量：一窗受理、灌区改造、从未出现" in feed.feed.title


def test_the_search_page_announces_its_feed(feed_site):
    base, _ = feed_site
    page = requests.get(base + "/?q=信息公开&year=2022", timeout=30).text
    assert ('<link rel="alternate" type="application/atom+xml" title="订阅此搜索的新报告" '
            'href="/feed.atom?q=%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80&amp;year=2022">') in page
    assert "订阅新报告（Atom）" in page
    assert len(read_feed(base + "/feed.atom?q=%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80&year=2022").entries) >= 2


def test_a_malformed_feed_query_is_a_clear_400(feed_site):
    base, _ = feed_site
    response = requests.get(base + '/feed.atom?q="一窗', timeout=30)
    assert response.status_code == 400 and "引号" in response.text
    assert requests.get(base + "/batch/feed.atom", timeout=30).status_code == 400


def test_the_batch_page_links_the_feed_of_its_stored_list(feed_site):
    base, _ = feed_site
    posted = requests.post(base + "/batch", data={"terms": "一窗受理\n灌区改造"}, timeout=30)
    assert posted.status_code == 200 and "list=" in posted.url  # redirected to the stored list's permalink
    page = posted.text
    start = page.index('class="feed" href="') + len('class="feed" href="')
    feed_url = base + page[start:page.index('"', start)].replace("&amp;", "&")
    assert "/batch/feed.atom?list=" in feed_url
    feed = read_feed(feed_url)
    assert {"丙县水利局", "甲县审批服务管理局"} <= {e.author for e in feed.entries}  # (others join later)
    assert "/batch?list=" in feed.feed.link  # the feed leads back to the batch it follows
