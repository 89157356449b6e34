"""Start-up problems end a command with one line saying what and how to fix it, never a traceback."""
from __future__ import annotations

import socket

import pytest

from tests.conftest import REPO, write_config
from tests.test_config import run_cli


def one_line_error(done, *words: str) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "serving on" not in done.stderr
    line = done.stderr.strip()
    assert "\n" not in line and all(word in line for word in words), line
    return line


def test_serve_on_a_busy_port_says_so(tmp_path):
    config = write_config(tmp_path, REPO / "corpus")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("--config", str(config), "serve", "--host", "127.0.0.1", "--port", str(port))
    one_line_error(done, f"port {port}", "already in use", "--port")


def test_index_without_a_corpus_says_where_it_looked(tmp_path):
    config = write_config(tmp_path, tmp_path / "no-such-corpus")
    one_line_error(run_cli("--config", str(config), "index"), "corpus folder not found", "no-such-corpus",
                   "nianbao crawl")


@pytest.mark.parametrize("command, key", [("index", "index"), ("demo", "index"), ("crawl", "state")])
def test_an_unwritable_folder_is_named_with_the_key_to_change(tmp_path, command, key):
    blocker = tmp_path / "a-file"  # a file where a folder should be: unwritable even for root
    blocker.write_text("x")
    config = write_config(tmp_path, REPO / "corpus")
    text = config.read_text(encoding="utf-8").replace(f'{key} = "{tmp_path}', f'{key} = "{blocker}', 1)
    text = text.replace("enabled = false", "enabled = true", 1)
    config.write_text(text, encoding="utf-8")
    one_line_error(run_cli("--config", str(config), command), "not writable", f"[paths] {key}")
