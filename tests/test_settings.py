"""Settings: one object, read from the environment, documented in README and .env.example."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from core.cli.main import settings_for
from core.errors import SettingsError
from core.settings import Settings, env_var, process_env, read_dotenv
from tests.conftest import ROOT


def test_every_setting_is_documented_in_readme_and_env_example() -> None:
    readme = (ROOT / "README.md").read_text()
    example = read_dotenv(ROOT / ".env.example")
    for name, field in Settings.model_fields.items():
        var = env_var(name)
        assert f"| `{var}` |" in readme, var
        assert var in example, var
        if name != "db_path":
            assert example[var] == str(field.default), var


def test_environment_values_are_typed_and_validated(tmp_path: Path) -> None:
    settings = Settings.from_env({"CA_DB_PATH": str(tmp_path / "x.duckdb"), "CA_TOP_K": "5"})
    assert settings.top_k == 5 and settings.db_path == tmp_path / "x.duckdb"
    with pytest.raises(SettingsError, match="CA_TOP_K"):
        Settings.from_env({"CA_TOP_K": "many"})
    with pytest.raises(SettingsError, match="CA_ENGINE"):
        Settings.from_env({"CA_ENGINE": "gpt"})


def test_dotenv_lines_are_read_and_comments_skipped(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("# comment\nCA_TOP_K=7\nCA_DB_PATH='/tmp/a b.duckdb'\n\nnot a pair\n")
    assert read_dotenv(env) == {"CA_TOP_K": "7", "CA_DB_PATH": "/tmp/a b.duckdb"}
    assert read_dotenv(tmp_path / "absent") == {}


def test_the_command_line_reads_the_env_file_as_the_dashboard_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CA_TOP_K", raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text("CA_TOP_K=7\n", encoding="utf-8")
    args = argparse.Namespace(db=None, engine=None)
    assert settings_for(args, dotenv).top_k == 7
    assert Settings.from_env(process_env(dotenv)).top_k == 7
    monkeypatch.setenv("CA_TOP_K", "4")  # the environment wins over the file
    assert settings_for(args, dotenv).top_k == 4


def test_a_developers_env_file_key_does_not_reach_offline_tests(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("ANTHROPIC_API_KEY=sk-ant-a-developers-own\n", encoding="utf-8")
    settings = Settings.from_env(process_env(dotenv))
    assert settings.anthropic_api_key.get_secret_value() == ""
    via_cli = settings_for(argparse.Namespace(db=None, engine=None), dotenv)
    assert via_cli.anthropic_api_key.get_secret_value() == ""
