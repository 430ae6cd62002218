"""Settings: one object, read from the environment, documented in README and .env.example."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import SettingsError
from core.settings import Settings, env_var, read_dotenv
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
