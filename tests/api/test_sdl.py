"""schema/schema.graphql is generated from the code; this fails when the two drift apart."""

from __future__ import annotations

import subprocess
import sys

from relgraph.api.sdl import default_path, render


def test_sdl_file_matches_the_code() -> None:
    path = default_path()
    assert path.is_file(), f"{path} is missing: run `python -m relgraph.api.sdl`"
    assert path.read_text(encoding="utf-8") == render(), "schema drifted: run `python -m relgraph.api.sdl`"


def test_check_command_agrees() -> None:
    result = subprocess.run([sys.executable, "-m", "relgraph.api.sdl", "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_schema_shape() -> None:
    sdl = render()
    for line in (
        "type Stakeholder implements Node", "type Relationship implements Node", "type Interaction implements Node",
        "type Complaint implements Node", "type AccountPlan implements Node", "node(id: ID!): Node",
        "scalar DateTime", "type StakeholderConnection", "totalCount: Int!", "pageInfo: PageInfo!",
    ):
        assert line in sdl, line
