"""`nianbao stats`: one measure of the statutory tables as agencies × years, from the statistics database
beside the index (`indexer/statsdb.py`); `--rebuild` reads the whole corpus again into it.
"""
from __future__ import annotations

import json
import sys
from contextlib import closing

import click


@click.command()
@click.option("--measure", default="new", show_default=True,
              help="What to show: new, granted, refused, granted_share, review, litigation, normative_valid, "
                   "failed_checks, … (`--measures` lists them).")
@click.option("--agency", multiple=True, help="Only these agencies (repeatable).")
@click.option("--year", default=None, help="Only these years: 2020 or 2018..2022.")
@click.option("--province", multiple=True)
@click.option("--city", multiple=True)
@click.option("--county", multiple=True)
@click.option("--sort", default="agency", show_default=True, help="agency, or YEAR / -YEAR to order by a year's value.")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the table as CSV (UTF-8 with BOM, for Excel).")
@click.option("--measures", "list_measures", is_flag=True, help="List the measures and exit.")
@click.option("--rebuild", is_flag=True, help="Read every report of the corpus again into the statistics database.")
@click.option("--eval", "manifest", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score the table reader on a development set (tests/statistics/devset/manifest.tsv) and exit.")
@click.pass_obj
def stats(obj, measure: str, year: str | None, sort: str, as_json: bool, as_csv: bool, list_measures: bool,
          rebuild: bool, manifest: str | None, **filters: tuple[str, ...]) -> None:
    """Statutory-table numbers (申请、复议、诉讼、规范性文件…) per agency and year, with check results."""
    if manifest:
        _evaluate(manifest, as_json)
        return
    from indexer.measures import MEASURES, UnknownMeasure, measure_table
    from indexer.schema import FieldValueError, parse_year_range
    from indexer.statsdb import connect, stats_path, update_statistics
    from nianbao.pipeline import portal_regions

    if list_measures:
        for key, (label, unit, _, _) in MEASURES.items():
            click.echo(f"{key}\t{label}（{unit}）")
        return
    settings = obj.settings
    if rebuild:
        summary = update_statistics(settings.paths.index, settings.paths.corpus, portal_regions(settings), rebuild=True,
                                     limits=settings.reader)
        click.echo(f"statistics: {summary.updated} reports read, {summary.failed} unreadable", err=True)
    try:
        with closing(connect(stats_path(settings.paths.index))) as conn:
            table = measure_table(conn, measure, filters, parse_year_range(year) if year else None, sort)
    except (FileNotFoundError, UnknownMeasure, FieldValueError) as exc:
        click.echo(f"nianbao: {exc}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(table.to_json(), ensure_ascii=False))
    elif as_csv:
        sys.stdout.buffer.write(table.to_csv().encode("utf-8"))
    else:
        _echo_table(table)


def _evaluate(manifest: str, as_json: bool) -> None:
    """Per-key accuracy of the totals read from each page of the set (see indexer/read/statistics_evaluate.py)."""
    from pathlib import Path

    from indexer.read.statistics import parse_statistics
    from indexer.read.statistics_evaluate import load_cases, report_lines, score

    evaluation = score(load_cases(Path(manifest)), lambda text: parse_statistics(text).totals)
    if as_json:
        click.echo(json.dumps(evaluation.to_json(), ensure_ascii=False))
    else:
        click.echo("\n".join(report_lines(evaluation)))


def _echo_table(table) -> None:
    click.echo(f"{table.label}（{table.unit}）")
    click.echo("\t".join(["机构"] + [str(y) for y in table.years]))
    for row in table.rows:
        cells = ["—" if row.values.get(y) is None else str(row.values[y]) for y in table.years]
        click.echo("\t".join([row.agency] + cells))
