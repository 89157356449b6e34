"""Config loading: valid files load; every mistake is one line naming file, line and key."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nianbao.config import ConfigError, load_settings
from tests.conftest import REPO


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nianbao.cli", *args], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=120)


def test_shipped_config_loads_with_all_portals_disabled():
    settings = load_settings(REPO / "config.toml")
    assert {p.name for p in settings.portals} == {"qingtongxia", "zhongning", "jinfeng", "shapotou", "yinchuan"}
    assert not any(p.enabled for p in settings.portals)
    assert settings.paths.corpus == REPO / "corpus"
    assert settings.portal("qingtongxia").region == ("宁夏回族自治区", "吴忠市", "青铜峡市")


@pytest.mark.parametrize("text, expected", [
    ("[web]\nhost = \"x\"\nportt = 1\n", "config.toml:3: unknown key 'web.portt'"),
    ("[web]\nport = \"8000\"\n", "config.toml:2: 'web.port' must be an integer, got '8000'"),
    ("[webb]\nport = 1\n", "config.toml:1: unknown key 'webb'"),
    ("[[portals]]\nname = \"a\"\ntitle = \"A\"\nstart_urls = [\"http://a/\"]\n\n"
     "[[portals]]\nname = \"b\"\ntitle = \"B\"\nstart_urls = \"http://b/\"\n",
     "config.toml:9: 'portals.start_urls' must be a list of strings"),
    ("[[portals]]\nname = \"a\"\n", "config.toml:1: missing required key 'portals.title'"),
    ("[index]\nengine = \"lucene\"\n", "config.toml:2: index.engine must be one of"),
    ("[web\n", "not valid TOML"),
])
def test_bad_config_names_file_line_and_key(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_cli_reports_bad_config_in_one_line_without_traceback(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[crawler]\ndelay_seconds = \"slow\"\n", encoding="utf-8")
    result = run_cli("--config", str(path), "search", "一窗受理")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "config.toml:2" in result.stderr and "crawler.delay_seconds" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_config_file_is_explained(tmp_path):
    result = run_cli("--config", str(tmp_path / "nope.toml"), "index")
    assert result.returncode == 2
    assert "config file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_can_come_from_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[web]\nport = \"x\"\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "nianbao.cli", "index"], capture_output=True, text=True,
                            cwd=tmp_path, env={**__import__("os").environ, "NIANBAO_CONFIG": str(path)}, timeout=120)
    assert result.returncode == 2 and "web.port" in result.stderr


def test_engine_tables_are_checked_against_the_engine(tmp_path):
    from nianbao.config import ConfigError, load_settings

    path = tmp_path / "config.toml"
    path.write_text('[index]\nengine = "tantivy"\n\n[index.tantivy]\nwriter_heap_mb = 128\n', encoding="utf-8")
    assert load_settings(path).index.options().writer_heap_mb == 128
    path.write_text('[index]\nengine = "tantivy"\n\n[index.tantivy]\nheap = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:5: unknown key 'index.tantivy.heap'"):
        load_settings(path)
    path.write_text('[index]\nengine = "reference"\n\n[index.lucene]\nx = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml:4: unknown engine table \[index.lucene\]"):
        load_settings(path)
