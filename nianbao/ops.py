"""The operator commands of `nianbao`: `schedule` (the recrawl daemon), `status` and `password-hash`.

Registered on the main group by `nianbao.cli`. This is the CLI layer: it hands the indexer to the crawler's
daemon as a callback (`nianbao.pipeline.index_after_run`), so `crawler/` never imports `indexer/`.
"""
from __future__ import annotations

import json
import signal
import sys
from datetime import datetime, timezone

import click


@click.command()
@click.option("--once", is_flag=True, help="Run what is due or queued now, wait for it, index, and exit.")
@click.pass_obj
def schedule(obj, once: bool) -> None:
    """Run scheduled and requested recrawls as a long-running daemon (index after each run)."""
    from crawler.daemon import AlreadyRunning, Daemon, DaemonLock
    from nianbao.config_file import LiveSettings
    from nianbao.heartbeat import HeartbeatRecorder
    from nianbao.pipeline import index_after_run

    settings = obj.settings
    lock = DaemonLock(settings.paths.state)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        click.echo(f"nianbao schedule: {exc}", err=True)
        sys.exit(2)
    stop: list[bool] = []
    heartbeat = HeartbeatRecorder(settings.paths.state, settings.schedule.poll_seconds)
    live = LiveSettings(settings)
    reported: list[str | None] = [None]

    def poll() -> None:  # at every poll: a heartbeat, and config.toml re-read if it changed (console edits)
        heartbeat.beat()
        current = live.current()
        if current is not daemon.settings:
            daemon.settings, daemon.after_run = current, index_after_run(current)
            _log(f"config reloaded: {sum(p.enabled for p in current.portals)} enabled portals")
        if live.error != reported[0]:  # said once per new problem, not at every poll
            reported[0] = live.error
            if live.error:
                _log(f"config not reloaded, keeping the previous one: {live.error}")

    daemon = Daemon(settings, after_run=index_after_run(settings), log=_log, should_stop=lambda: bool(stop),
                    on_poll=poll)

    def request_stop(signum, _frame) -> None:  # finish the current request, record the run, exit
        stop.append(True)
        daemon.stop_soon()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, request_stop)
    _log(f"scheduler started: {sum(p.enabled for p in settings.portals)} enabled portals, "
         f"up to {settings.schedule.max_parallel} at once, checking every {settings.schedule.poll_seconds:g}s")
    try:
        if once:
            daemon.run_once()
        else:
            daemon.run()
    finally:
        heartbeat.stopped()
        lock.release()
    _log("scheduler stopped")


def _log(line: str) -> None:
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    click.echo(f"{stamp} {line}", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_obj
def status(obj, as_json: bool) -> None:
    """Show per-portal crawl status, next due times, corpus and index totals, and index freshness."""
    from nianbao.status import Operations

    operations = Operations(obj.settings)
    report = operations.status()
    contracts = operations.contract_states()
    if as_json:
        data = report.to_json()
        for portal in data["portals"]:
            portal["contract"] = _contract_json(contracts.get(portal["name"]))
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for portal in report.portals:
        _echo_portal(portal.to_json())
        _echo_contract(contracts.get(portal.name))
    _echo_daemon(report.daemon)
    index = report.index
    click.echo(f"\ncorpus: {report.corpus_documents} documents ({report.corpus_gone} gone from their portals)"
               + (f", {report.corpus_skipped} skipped (see `nianbao index`)" if report.corpus_skipped else ""))
    click.echo(f"index: {index.reports} reports" + (f" — {index.error}" if index.error else ""))
    if index.behind:
        click.echo(f"index is BEHIND the corpus: {index.to_add} to add, {index.to_update} to update, "
                   f"{index.to_remove} to remove (run `nianbao index`)")
    else:
        click.echo("index is up to date with the corpus")


def _echo_portal(data: dict) -> None:
    state = "enabled" if data["enabled"] else "disabled"
    click.echo(f"{data['name']} ({data['title']}): {state}; schedule {data['schedule']} ({data['schedule_words']})")
    run = data["last_run"]
    if run is None:
        click.echo("  last run: never")
    else:
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in run["counts"].items())
        click.echo(f"  last run #{run['id']}: {run['start']} → {run['end'] or '…'} {run['outcome']}; {counts}")
        if run["message"]:
            click.echo(f"    note: {run['message']}")
    queued = " (recrawl queued)" if data["queued"] else ""
    click.echo(f"  next due: {data['next_due'] or 'not scheduled'}{queued}; "
               f"consecutive failures: {data['consecutive_failures']}; documents: {data['documents']}")


def _echo_daemon(daemon) -> None:
    """The scheduler's heartbeat: running, stale (killed or hung), stopped, or never started."""
    beat = daemon.heartbeat
    if beat is None:
        click.echo("\nscheduler: never started (run `nianbao schedule`)")
        return
    since = f"last beat {beat.beat_at}, pid {beat.pid} on {beat.host}"
    words = {"running": "running", "stale": "NOT RESPONDING (no heartbeat for three polls)",
             "stopped": f"stopped at {beat.stopped_at}"}[daemon.state]
    click.echo(f"\nscheduler: {words}; {since}")


def _contract_json(record) -> dict | None:
    if record is None:
        return None
    return {"ok": record.ok, "at": record.at, "source": record.source, "run_id": record.run_id, "checks": record.checks}


def _echo_contract(record) -> None:
    """The portal contract's latest state: holds, or BROKEN with what was expected and found."""
    if record is None:
        return
    if record.ok:
        click.echo(f"  contract: holds ({record.source}, {record.at})")
        return
    broken = "; ".join(f"{c['name']} expected {c['expected']}, found {c['found']}" for c in record.checks if not c["ok"])
    click.echo(f"  contract: BROKEN ({record.source}, {record.at}): {broken}")


@click.command(name="password-hash")
def password_hash() -> None:
    """Ask for the console password twice and print its hash for `[web] admin_password_hash`."""
    from werkzeug.security import generate_password_hash

    password = click.prompt("Console password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        click.echo("nianbao password-hash: use at least 10 characters", err=True)
        sys.exit(2)
    click.echo(generate_password_hash(password))


COMMANDS = (schedule, status, password_hash)
