"""Read stage, bounded: every document is read in a long-lived worker process under memory, CPU and wall limits.

A worker opens the file itself (regular files only), extracts and parses it, and sends the `Report` back, or,
when the job names a continuation (`ReadJob.then`), what that function makes of it in the same worker: the
index build analyses there (jieba, grams) so every core works and a report crosses the pipe once. A
document over a limit costs its worker, not the batch: the worker is ended and replaced, the document becomes
a `ReadFailure` whose reason names the limit (`超过内存上限`, `读取超时`), and the next document goes on. The
workers live for the whole batch, so a normal read costs one pipe round trip, not a process start
(`nianbao bench` measures it), and `workers` of them read side by side while the caller indexes.

How each limit holds (Linux):
- memory: RLIMIT_AS (soft) in the worker; Python raises MemoryError, the worker reports it and retires.
- CPU time: RLIMIT_CPU is re-armed before each document at CPU-used-so-far + `cpu_seconds`; past it the
  kernel ends the worker with SIGXCPU.
- wall time: the parent waits at most `timeout_seconds` for an answer, then kills the worker (a read blocked
  on I/O uses no CPU).
"""
from __future__ import annotations

import importlib
import logging
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from indexer.read.extract import ExtractError, extract, read_regular_file
from indexer.read.report import Region, Report, parse_extracted
from nianbao.config import ReaderSettings

MEMORY_EXCEEDED = "超过内存上限"
TIMED_OUT = "读取超时"


@dataclass(frozen=True)
class ReadJob:
    """One document to read: its file, and what the caller knows about it."""

    path: str
    source: str
    url: str | None = None
    region: Region | None = None
    title_hint: str | None = None
    # "module:function" called in the worker as `function(report, *then_args)`; its result is the outcome.
    # Module-level and pure, so its result does not depend on which worker ran it (or how many there are).
    then: str | None = None
    then_args: tuple = ()


@dataclass(frozen=True)
class ReadFailure:
    """A document that could not be read; `reason` is one line for people."""

    reason: str


def read_job(job: ReadJob, limits: ReaderSettings = ReaderSettings(), *, isolated: bool = False) -> Report:
    """Read and parse one document in this process (a worker's body; unbounded when called directly)."""
    data = read_regular_file(Path(job.path), limits.max_file_mb * 2**20)
    extracted = extract(data, Path(job.path).name, limits=limits, isolated=isolated)
    return parse_extracted(extracted, source=job.source, url=job.url, region=job.region, title_hint=job.title_hint)


class ReaderPool:
    """Up to `limits.workers` worker processes, started on first use and ended by `close()` (or `with`)."""

    def __init__(self, limits: ReaderSettings = ReaderSettings()):
        self.limits = limits
        self._workers: list[_Worker] = []

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """End every worker."""
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def read_all(self, jobs: Iterable[tuple[ReadJob, Any]]) -> Iterator[tuple[Any, Any]]:
        """`(tag, outcome)` for each `(job, tag)`, in the order given; several documents are read at a time.

        The outcome is a `ReadFailure`, else the `Report` (or what the job's continuation made of it)."""
        pending, more, seq = iter(jobs), True, 0
        order: deque[int] = deque()
        tags: dict[int, Any] = {}
        done: dict[int, Report | ReadFailure] = {}
        busy: dict[_Worker, tuple[int, float]] = {}
        while more or order:
            while more and len(busy) < self.limits.workers and len(order) < 2 * self.limits.workers:
                item = next(pending, None)
                if item is None:
                    more = False
                    continue
                worker = self._dispatch(item[0], busy)
                busy[worker] = (seq, time.monotonic() + self.limits.timeout_seconds)
                order.append(seq)
                tags[seq] = item[1]
                seq += 1
            while order and order[0] in done:
                first = order.popleft()
                yield tags.pop(first), done.pop(first)
            if busy:
                self._collect(busy, done)

    def _dispatch(self, job: ReadJob, busy: dict) -> _Worker:
        """Hand `job` to an idle worker; one that died while idle (e.g. the OOM killer) is replaced once."""
        worker = self._idle_worker(busy)
        try:
            worker.send(job)
        except OSError:
            worker.stop()
            worker = self._idle_worker(busy)
            worker.send(job)
        return worker

    def _idle_worker(self, busy: dict) -> _Worker:
        self._workers = [w for w in self._workers if w.alive]
        worker = next((w for w in self._workers if w not in busy), None)
        if worker is None:
            worker = _Worker(self.limits)
            self._workers.append(worker)
        return worker

    def _collect(self, busy: dict, done: dict) -> None:
        """Wait for the first answer or deadline; move finished jobs from `busy` to `done`."""
        timeout = max(0.0, min(deadline for _, deadline in busy.values()) - time.monotonic())
        ready = wait([w.connection for w in busy], timeout=timeout)
        for worker in list(busy):
            seq, deadline = busy[worker]
            if worker.connection in ready:
                done[seq] = worker.receive()
            elif time.monotonic() >= deadline:
                worker.stop()
                done[seq] = ReadFailure(f"{TIMED_OUT}：{self.limits.timeout_seconds:g} 秒内没有读完")
            else:
                continue
            del busy[worker]


class _Worker:
    """One worker process (`python -m indexer.read.bounded FD`) and the parent's end of its socket.

    A plain child process rather than multiprocessing's spawn, which re-imports the caller's `__main__`
    (a tool script without a main guard would then start workers without end).
    """

    def __init__(self, limits: ReaderSettings):
        self.limits = limits
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        self.process = subprocess.Popen([sys.executable, "-m", "indexer.read.bounded", str(theirs.fileno())],
                                        pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL)  # `parse --json` owns stdout
        theirs.close()
        self.connection = Connection(ours.detach())
        self.connection.send(limits)

    @property
    def alive(self) -> bool:
        return not self.connection.closed and self.process.poll() is None

    def send(self, job: ReadJob) -> None:
        self.connection.send(job)

    def receive(self) -> Report | ReadFailure:
        try:
            outcome, retiring = self.connection.recv()
        except (EOFError, OSError):
            return self._death()
        if retiring:
            self.stop()
        return outcome

    def _death(self) -> ReadFailure:
        try:
            code = self.process.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        if code == -signal.SIGXCPU:
            return ReadFailure(f"{TIMED_OUT}：CPU 时间超过 {self.limits.cpu_seconds} 秒")
        if code == -signal.SIGKILL:  # the kernel's OOM killer, when RLIMIT_AS was not reached first
            return ReadFailure(f"{MEMORY_EXCEEDED}：读取进程被系统终止")
        return ReadFailure(f"读取进程意外退出（退出码 {code}）")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.connection.close()


def _serve(connection: Connection) -> None:
    """The worker's loop: limits first, then a job in, `(Report or ReadFailure, retiring)` out, until EOF."""
    limits = connection.recv()
    logging.disable(logging.WARNING)  # pdfminer warns on every odd PDF; the reason travels in the outcome
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    _limit(resource.RLIMIT_AS, limits.memory_mb * 2**20)
    _import_readers()
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        _limit(resource.RLIMIT_CPU, math.ceil(cpu.ru_utime + cpu.ru_stime) + limits.cpu_seconds)
        outcome, retiring = _outcome(job, limits)
        try:
            connection.send((outcome, retiring))
        except MemoryError:
            connection.send((ReadFailure(f"{MEMORY_EXCEEDED}：{limits.memory_mb} MB"), True))
            retiring = True
        if retiring:
            return


def _import_readers() -> None:
    """Import every reader up front, so a document's CPU budget is spent on the document."""
    import indexer.read.cleanup  # noqa: F401
    import indexer.read.extract_html  # noqa: F401
    import indexer.read.extract_office  # noqa: F401
    import indexer.read.extract_pdf  # noqa: F401


def continuation(name: str):
    """The function a `ReadJob.then` names ("module:function")."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _outcome(job: ReadJob, limits: ReaderSettings) -> tuple[Any, bool]:
    try:
        report = read_job(job, limits, isolated=True)
        return (continuation(job.then)(report, *job.then_args) if job.then else report), False
    except MemoryError:
        return ReadFailure(f"{MEMORY_EXCEEDED}：{limits.memory_mb} MB"), True
    except RecursionError:
        return ReadFailure("document nested too deeply to read"), False
    except ExtractError as exc:
        return ReadFailure(str(exc)), False
    except Exception as exc:  # noqa: BLE001 - a parser bug on one odd file must not stop the batch
        return ReadFailure(f"could not be read ({type(exc).__name__}: {exc})"), False


def _limit(kind: int, soft: int) -> None:
    """Lower the soft limit; the hard one stays, so a PDF or antiword child may set its own."""
    _, hard = resource.getrlimit(kind)
    resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


if __name__ == "__main__":
    # Run the imported module, not `__main__`: outcomes must unpickle as indexer.read.bounded classes.
    from indexer.read import bounded

    bounded._serve(Connection(int(sys.argv[1])))
