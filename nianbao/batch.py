"""`nianbao batch FILE`: counts of reports and occurrences for each term of a list (`indexer/batch.py`), as a
table, JSON or CSV (UTF-8 with BOM); the same numbers as the web page's batch search and `/api/batch`.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click


def _with_filters(command: click.Command) -> click.Command:
    """The search command's filters: a repeatable `--NAME` per filter field of the vocabulary."""
    from indexer.schema import BY_NAME, FILTER_FIELDS

    command.params += [click.Option([f"--{name}"], multiple=True, help=BY_NAME[name].help) for name in FILTER_FIELDS]
    return command


@_with_filters
@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print counts by year and agency, and every report, as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one row per term and report with its citation (UTF-8 with BOM).")
@click.pass_obj
def batch(obj, file: str, as_json: bool, as_csv: bool, **filters: tuple[str, ...]) -> None:
    """Count each term of FILE (one term or phrase a line, at most 500; `-` reads stdin) in the index."""
    from indexer.batch import CSV_COLUMNS, decode_terms_file, parse_terms, run_batch
    from indexer.cite import Citer
    from indexer.engines import open_engine

    settings = obj.settings
    data = sys.stdin.buffer.read() if file == "-" else _read(Path(file))
    terms = parse_terms(decode_terms_file(data, file))
    engine = open_engine(settings.index.engine, settings.paths.index, options=settings.index.options())
    try:
        result = run_batch(engine, terms, {k: v for k, v in filters.items() if v})
    finally:
        engine.close()
    citer = Citer(settings.paths.corpus, site_root(settings))
    if as_json:
        click.echo(json.dumps(result.to_json(citer), ensure_ascii=False, indent=2))
    elif as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(result.csv_rows(citer))
        sys.stdout.buffer.write(buffer.getvalue().encode("utf-8-sig"))
    else:
        for term in result.terms:
            years = "；".join(f"{y}：{r}/{o}" for y, (r, o) in sorted(term.by_year.items(), reverse=True))
            click.echo(f"{term.term}\t{term.reports} 份报告\t{term.occurrences} 次\t{years or '—'}")


def site_root(settings) -> str:
    """Where permalinks point: `[web] public_url`, else the address `nianbao serve` listens on."""
    return settings.web.public_url or f"http://{settings.web.host}:{settings.web.port}/"


def _read(path: Path) -> bytes:
    from indexer.query import QueryError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise QueryError(f"无法读取词表文件 {path}：{exc.strerror or exc}", None) from None
