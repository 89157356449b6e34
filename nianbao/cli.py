"""The `nianbao` command: one subcommand per job, settings read once and passed down."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from nianbao.config import ConfigError, ReaderSettings, Settings, config_path, load_settings


class _Context:
    """Lazily loaded settings: `parse` works without a config file, the rest need one."""

    def __init__(self, path: str | None):
        self.path = config_path(path)
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.path)
        return self._settings


def _user_errors(command):
    """Turn the errors users cause (config, query, index state, input files) into one line, exit 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from indexer.engines import EngineError
        from indexer.query import QueryError
        from nianbao.startup import StartupError

        try:
            return command(*args, **kwargs)
        except (ConfigError, QueryError, EngineError, StartupError) as exc:
            click.echo(f"nianbao: {exc}", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Config file (default ./config.toml, or $NIANBAO_CONFIG).")
@click.pass_context
def main(ctx: click.Context, config: str | None) -> None:
    """Nianbao (年报): search Chinese government information-disclosure annual reports."""
    ctx.obj = _Context(config)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed report(s) as JSON.")
@click.option("--portal", default=None, help="Take the region from this configured portal.")
@click.option("--eval", "evaluate", is_flag=True,
              help="FILES are manifests (TSV: file url agency year province city county): print accuracy and misses.")
@click.pass_obj
@_user_errors
def parse(obj: _Context, files: tuple[str, ...], as_json: bool, portal: str | None, evaluate: bool) -> None:
    """Read report files (.html .pdf .docx .doc .wps .txt .md) and show title, agency, year, region and sections.

    Each file is read in a worker process under the [reader] limits; one that fails says why and the rest go on.
    """
    from indexer.read.bounded import ReadFailure, ReadJob, ReaderPool

    if evaluate:
        _echo_evaluation(files)
        return
    region = None
    if portal:
        if obj.settings.portal(portal) is None:
            raise ConfigError(f"{obj.settings.source}: no portal named '{portal}'")
        from nianbao.pipeline import portal_regions

        region = portal_regions(obj.settings).get(portal)
    limits = obj.settings.reader if obj.path.is_file() else ReaderSettings()  # parse needs no config file
    results, failed = [], False
    with ReaderPool(limits) as pool:
        for name, outcome in pool.read_all((ReadJob(path=name, source=name, region=region), name) for name in files):
            if isinstance(outcome, ReadFailure):
                click.echo(f"nianbao: {name}: {outcome.reason}", err=True)
                failed = True
            else:
                results.append(outcome)
    if as_json:
        data = [r.to_json() for r in results]
        click.echo(json.dumps(data[0] if len(files) == 1 and data else data, ensure_ascii=False, indent=2))
    else:
        for report in results:
            _echo_summary(report)
    if failed:
        sys.exit(1)


def _echo_evaluation(manifests: tuple[str, ...]) -> None:
    """Per-field accuracy of the reader on the listed pages, then every miss (file, field, expected, got)."""
    from indexer.read.evaluate import FIELDS, evaluate_manifests

    try:
        result = evaluate_manifests(Path(name) for name in manifests)
    except (OSError, ValueError) as exc:
        click.echo(f"nianbao: {getattr(exc, 'strerror', None) or exc}", err=True)
        sys.exit(2)
    for miss in result.misses:
        click.echo(f"miss\t{miss.file}\t{miss.field}\t{miss.expected or '∅'}\t{miss.got or '∅'}")
    click.echo(f"{result.total} 页")
    for name in FIELDS:
        click.echo(f"{name:<9}{result.correct[name]:>5}/{result.total:<5}{result.ratio(name):.3f}")


def _echo_summary(report) -> None:
    region = " ".join(filter(None, (report.region.province, report.region.city, report.region.county)))
    click.echo(f"{report.source}\n  标题 {report.title}\n  机构 {report.agency}\n  年度 {report.year}"
               f"\n  地区 {region or None}\n  发布 {report.published}\n  模板 {report.template}")
    for section in report.sections:
        click.echo(f"  [{section.key}] {section.heading or '(前言)'}  {len(section.text)} 字")
    for warning in report.warnings:
        click.echo(f"  警告: {warning}")
    if report.statistics.cells:
        counts = {s: sum(c.status == s for c in report.statistics.checks) for s in ("FAIL", "NOT ASSESSABLE", "PASS")}
        click.echo(f"  统计表 {len(report.statistics.cells)} 格；核对：不符 {counts['FAIL']}，无法核对 "
                   f"{counts['NOT ASSESSABLE']}，通过 {counts['PASS']}（--json 见 statistics）")


@main.command()
@click.option("--rebuild", is_flag=True, help="Drop the index and build it again from the corpus.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes reading and analysing reports (default: one per core).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
@_user_errors
def index(obj: _Context, rebuild: bool, jobs: int | None, as_json: bool) -> None:
    """Index the corpus: add new reports, replace changed ones, remove deleted ones."""
    from tqdm import tqdm

    from nianbao.pipeline import index_corpus
    from nianbao.startup import require_corpus, require_index_writable

    require_corpus(obj.settings)
    require_index_writable(obj.settings)
    with tqdm(desc="index", unit="report", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        summary = index_corpus(obj.settings, rebuild=rebuild, jobs=jobs or os.cpu_count() or 1,
                               progress=lambda _: bar.update())
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        _echo_index_summary(summary)


def _echo_index_summary(summary, err: bool = False) -> None:
    from nianbao.pipeline import describe_index_update

    click.echo(f"indexed: {describe_index_update(summary)}", err=err)
    for source, reason in summary.failed:
        click.echo(f"  failed: {source}: {reason}", err=err)
    for source, reason in summary.skipped:
        click.echo(f"  skipped: {source}: {reason}", err=err)


def _filter_options(command):
    """One repeatable `--NAME` option per filter field of the vocabulary (indexer/schema.py)."""
    from indexer.schema import BY_NAME, FILTER_FIELDS

    for name in reversed(FILTER_FIELDS):
        command = click.option(f"--{name}", multiple=True, help=BY_NAME[name].help)(command)
    return command


def _sorts() -> list[str]:
    from indexer.schema import SORTS

    return list(SORTS)


@main.command()
@click.argument("query", nargs=-1)
@_filter_options
@click.option("--sort", type=click.Choice(_sorts()), default="relevance")
@click.option("--page", type=click.IntRange(min=1), default=1)
@click.option("--limit", type=click.IntRange(1, 100), default=10, help="Reports per page.")
@click.option("--within", type=click.Choice(["report", "section"]), default="report",
              help="Where unquoted words must all occur: anywhere in one report (default) or in one section.")
@click.option("--literal", multiple=True, metavar="WORD",
              help="Keep WORD as text even where it names a region or agency of the index (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.pass_obj
@_user_errors
def search(obj: _Context, query: tuple[str, ...], as_json: bool, sort: str, page: int, limit: int, within: str,
           literal: tuple[str, ...], **filters: tuple[str, ...]) -> None:
    """Search the index (see README for the query language)."""
    import re

    from indexer.engines import open_engine
    from indexer.search import SearchRequest, search as run_search

    settings = obj.settings
    request = SearchRequest(q=" ".join(query), filters={k: v for k, v in filters.items() if v}, sort=sort,
                            page=page, per_page=limit, within=within, literal=literal)
    engine = open_engine(settings.index.engine, settings.paths.index, options=settings.index.options())
    try:
        result = run_search(engine, request)
    finally:
        engine.close()
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    for reading in result.interpreted:
        click.echo(f"“{reading.word}”按{reading.title}筛选：{reading.value}（当作文字搜索：--literal {reading.word}）")
    click.echo(f"{result.total} 份报告，{result.total_sections} 个章节")
    for hit in result.hits:
        click.echo(f"\n{hit.title}  [{hit.agency} {hit.year}]  {hit.url}")
        for section in hit.sections:
            text = re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="red"),
                          section.snippet)
            click.echo(f"  {section.heading or '(前言)'}: {_unescape(text)}")


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@main.command()
@click.option("--host", default=None, help="Address to listen on (default from [web]).")
@click.option("--port", type=int, default=None, help="Port (default $PORT, then [web] port).")
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="Worker threads (default [web] threads).")
@click.pass_obj
@_user_errors
def serve(obj: _Context, host: str | None, port: int | None, threads: int | None) -> None:
    """Serve the search UI, report pages, KWIC and the JSON API with a production WSGI server (waitress)."""
    from indexer.analysis import load_segmenter
    from nianbao.startup import create_server, require_state_writable
    from nianbao.status import Operations
    from webui import create_app
    from webui.admin.auth import password_hash

    settings = obj.settings
    if password_hash(settings):  # the console keeps its secret and sessions beside the state
        require_state_writable(settings)
    host = host or settings.web.host
    port = port or int(os.environ.get("PORT") or settings.web.port)
    app = create_app(settings, operations=Operations(settings))
    load_segmenter()
    server = create_server(app, host, port, threads or settings.web.threads)  # bound before we say "serving"
    click.echo(f"Nianbao serving on http://{host}:{port}/", err=True)
    try:  # requests share the app's engine; each borrows its own searcher
        server.run()
    finally:
        app.extensions["nianbao.engines"].close()


@main.command()
@click.option("--portal", "portals", multiple=True, help="Only this portal (repeatable; default: every enabled one).")
@click.option("--json", "as_json", is_flag=True, help="Print the per-portal summary as JSON.")
@click.option("--index", "then_index", is_flag=True, help="Index the corpus after crawling (as `nianbao index`).")
@click.pass_obj
@_user_errors
def crawl(obj: _Context, portals: tuple[str, ...], as_json: bool, then_index: bool) -> None:
    """Fetch annual reports from the configured portals into the corpus (then run `nianbao index`, or pass --index)."""
    import signal

    from crawler.crawl import crawl as run_crawl, select_portals
    from crawler.display import Progress, echo_summary
    from nianbao.pipeline import crawl_then_index
    from nianbao.startup import require_state_writable, require_writable

    settings = obj.settings
    if not select_portals(settings, portals):
        raise ConfigError(f"{settings.source}: no enabled portal to crawl (enable one, or name it with --portal)")
    require_writable(settings.paths.corpus, "corpus", "corpus", settings)
    require_state_writable(settings)
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM):  # finish the current request, record the run, then exit
        signal.signal(sig, lambda *_: stop.append(True))
    progress = Progress()
    indexed = None
    try:
        if then_index:
            outcome = crawl_then_index(settings, portals, should_stop=lambda: bool(stop), progress=progress)
            summaries, indexed = outcome.crawls, outcome.index
        else:
            summaries = run_crawl(settings, portals, should_stop=lambda: bool(stop), progress=progress)
    finally:
        progress.close()
    if stop:
        summaries = _interrupted(settings, summaries)
    if as_json:
        click.echo(json.dumps([s.to_json() for s in summaries], ensure_ascii=False, indent=2))
    else:
        for summary in summaries:
            echo_summary(summary, click.echo)
    if indexed is not None:  # on stderr, so `--json` output keeps its shape
        _echo_index_summary(indexed, err=as_json)
    if stop:
        sys.exit(130)
    if any(s.outcome == "failed" for s in summaries):
        sys.exit(1)


@main.command(name="check-portal")
@click.argument("name")
@click.option("--max-pages", type=click.IntRange(min=1), default=60, show_default=True,
              help="List pages the check may open.")
@click.option("--json", "as_json", is_flag=True, help="Print what was found as JSON.")
@click.pass_obj
@_user_errors
def check_portal(obj: _Context, name: str, max_pages: int, as_json: bool) -> None:
    """Crawl one portal into a scratch folder with a small budget; show what was found and whether its contract
    holds (exit 1 when it does not). The real corpus is not touched."""
    from crawler.check import check_portal as run_check, format_check
    from crawler.crawl import select_portals

    [portal] = select_portals(obj.settings, [name])
    check = run_check(obj.settings, portal, max_pages)
    if as_json:
        click.echo(json.dumps(check.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(format_check(check)))
    if not check.holds:
        sys.exit(1)


def _interrupted(settings: Settings, summaries: list) -> list:
    """Runs cut short by SIGTERM/SIGINT are recorded as interrupted: the next crawl picks them up again."""
    import dataclasses

    from crawler.state import CrawlState

    message = "interrupted: stopped by SIGTERM/SIGINT; run `nianbao crawl` again to resume"
    with CrawlState(settings.paths.state) as state:
        for summary in summaries:
            if summary.outcome == "stopped":
                state.set_outcome(summary.run_id, "interrupted", message)
    return [dataclasses.replace(s, outcome="interrupted", message=message) if s.outcome == "stopped" else s
            for s in summaries]


@main.command()
@click.option("--port", type=int, default=None, help="Port (default $PORT, then [web] port).")
@click.pass_context
@_user_errors
def demo(ctx: click.Context, port: int | None) -> None:
    """Index the configured corpus (the bundled demo reports by default), rebuilding an outdated index, and serve it."""
    from nianbao.pipeline import index_corpus
    from nianbao.startup import require_corpus, require_index_writable, require_state_writable

    settings = ctx.obj.settings
    require_corpus(settings)
    require_index_writable(settings)
    require_state_writable(settings)
    summary = index_corpus(settings, rebuild_if_outdated=True,
                           on_rebuild=lambda why: click.echo(f"nianbao: {why}; rebuilding now", err=True))
    _echo_index_summary(summary, err=True)
    ctx.invoke(serve, port=port)


def _add_operator_commands() -> None:
    """`schedule`, `status` and `password-hash` live in nianbao/ops.py (issue 7) to keep this file small."""
    from nianbao import ops

    for command in ops.COMMANDS:
        command.callback = _user_errors(command.callback)
        main.add_command(command)


def _add_statistics_command() -> None:
    """`stats` lives in nianbao/stats.py (issue 15)."""
    from nianbao.stats import stats

    stats.callback = _user_errors(stats.callback)
    main.add_command(stats)


def _add_batch_command() -> None:
    """`batch` lives in nianbao/batch.py (issue 16)."""
    from nianbao.batch import batch

    batch.callback = _user_errors(batch.callback)
    main.add_command(batch)


def _add_bench_command() -> None:
    """`bench` lives in nianbao/bench.py (issue 18)."""
    from nianbao.bench import bench

    bench.callback = _user_errors(bench.callback)
    main.add_command(bench)


_add_operator_commands()
_add_statistics_command()
_add_batch_command()
_add_bench_command()
if __name__ == "__main__":
    main()
