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


def test_key_account_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from relgraph.account_config import clv_discount, tier_thresholds

    assert (tier_thresholds(Settings()).key, tier_thresholds(Settings()).suitable, clv_discount(Settings())) == (
        0.6, 0.35, 0.1)
    monkeypatch.setenv("RELGRAPH_TIER_KEY_THRESHOLD", "0.7")
    monkeypatch.setenv("RELGRAPH_TIER_SUITABLE_THRESHOLD", "0.4")
    monkeypatch.setenv("RELGRAPH_CLV_DISCOUNT_RATE", "0")
    settings = Settings()
    assert tier_thresholds(settings).tier(0.69).value == "SUITABLE" and tier_thresholds(settings).tier(0.7).value == "KEY"
    assert clv_discount(settings) == 0.0


@pytest.mark.parametrize(
    "values",
    [
        {"tier_key_threshold": 1.01}, {"tier_suitable_threshold": -0.1}, {"tier_key_threshold": float("nan")},
        {"tier_key_threshold": 0.3},  # below the default SUITABLE cut-off
        {"tier_key_threshold": 0.5, "tier_suitable_threshold": 0.5},  # KEY must be strictly above
        {"clv_discount_rate": -0.01}, {"clv_discount_rate": float("inf")}, {"clv_discount_rate": float("nan")},
    ],
)
def test_key_account_settings_are_checked(values: dict[str, float]) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(**values)


def test_serve_refuses_tiers_out_of_order() -> None:
    from click.testing import CliRunner

    from relgraph.cli import main

    result = CliRunner().invoke(main, ["serve", "--tier-key-threshold", "0.3", "--tier-suitable-threshold", "0.4"])
    assert result.exit_code == 2 and "tier_key_threshold" in result.output
