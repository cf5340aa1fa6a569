"""Every option is a RELGRAPH_* variable and a documented flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from relgraph.config import Settings, options_markdown
from relgraph.strength_config import parse_weights, strength_params

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_configuration_doc_is_generated_from_settings() -> None:
    assert DOCS.read_text() == options_markdown(), "run: python -m relgraph.config > docs/configuration.md"


def test_environment_variables_set_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELGRAPH_PORT", "9123")
    monkeypatch.setenv("RELGRAPH_STRENGTH_HALF_LIFE_DAYS", "30")
    settings = Settings()
    assert settings.port == 9123
    assert strength_params(settings).half_life_days == 30


def test_strength_weights_override_the_defaults() -> None:
    weights = parse_weights("meeting=4, EMAIL=0.5")
    assert weights["MEETING"] == 4.0 and weights["EMAIL"] == 0.5 and weights["CALL"] == 2.0  # type: ignore[index]
    with pytest.raises(ValueError):
        parse_weights("DINNER=3")


def test_every_setting_is_a_flag_of_serve() -> None:
    from click.testing import CliRunner

    from relgraph.cli import main
    from relgraph.config import flag_name

    help_text = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    missing = [flag_name(n) for n in Settings.model_fields if flag_name(n) not in help_text]
    assert missing == []
