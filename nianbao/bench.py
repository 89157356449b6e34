"""`nianbao bench`: build a synthetic corpus, index it, time a query mix against the reference scan
(`indexer/bench.py`), optionally at several sizes on the way (`--checkpoints`)."""
from __future__ import annotations

import json

import click


@click.command()
@click.option("--reports", type=click.IntRange(min=1), default=1000, help="Synthetic reports to build.")
@click.option("--engine", "engines", default="whoosh", help="Engines to compare, comma-separated.")
@click.option("--seed", type=int, default=4, help="Seed of the synthetic corpus.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes reading and analysing reports while building (default: one per core).")
@click.option("--sample", type=click.IntRange(min=1), default=20_000,
              help="Reports the reference scan answers (and recall/precision are checked on).")
@click.option("--checkpoints", default="", metavar="N,N,…",
              help="Smaller sizes to measure on the way (e.g. 20000,100000): the corpus grows and the index is updated.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def bench(obj, reports: int, engines: str, seed: int, jobs: int | None, sample: int, checkpoints: str,
          as_json: bool) -> None:
    """Benchmark indexing and search on a synthetic corpus made from the configured corpus."""
    from indexer.bench import bench_json, format_bench, run_bench
    from indexer.engines import check_engine_name

    names = [name.strip() for name in engines.split(",") if name.strip()]
    for name in names:
        check_engine_name(name)
    try:
        sizes = tuple(int(size) for size in checkpoints.replace("_", "").split(",") if size.strip())
    except ValueError:
        raise click.BadParameter(f"not a list of report counts: {checkpoints!r}", param_hint="--checkpoints") from None
    data = run_bench(obj.settings.paths.corpus, reports, names, seed=seed, jobs=jobs, sample=sample, checkpoints=sizes,
                     progress=lambda message: click.echo(message, err=True))
    click.echo(json.dumps(bench_json(data), ensure_ascii=False) if as_json else format_bench(data))
