"""The README's examples are real: each one runs against a live server on the demo network."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from relgraph.demo import load_demo

from .support import Api

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def curl_bodies() -> list[dict[str, Any]]:
    """The JSON bodies of the README's `curl -d '…'` examples, in order."""
    return [json.loads(body) for body in re.findall(r"-d '(\{.*?\})'\n", README, flags=re.S)]


def python_query() -> str:
    match = re.search(r'ACCOUNT = """(.*?)"""', README, flags=re.S)
    assert match, "the README's Python example lost its query"
    return match.group(1)


def report_query() -> str:
    match = re.search(r'AT_RISK = "(.*?)"\n', README)
    assert match, "the README's reporting script lost its query"
    return match.group(1)


def error_example() -> dict[str, Any]:
    match = re.search(r"```json\n(.*?)```", README, flags=re.S)
    assert match
    return json.loads(match.group(1))


async def test_readme_examples_run(api: Api) -> None:
    await load_demo(api.store, seed=7, size="tiny")
    bodies = curl_bodies()
    assert len(bodies) >= 10, "every curl example of the README is found and run"
    for body in bodies:
        response = await api.post(body["query"], body.get("variables"))
        reply = response.json()
        assert response.status_code == 200 and not reply.get("errors"), (body, reply)
    customers = (await api.post(bodies[0]["query"])).json()["data"]["stakeholders"]
    assert customers["totalCount"] > 0 and customers["nodes"]

    assert (await api.data(report_query()))["atRiskAccounts"] is not None
    account = await api.data(python_query(), id="cust-00001")
    assert account["stakeholder"]["name"] and account["stakeholder"]["counterparts"]["nodes"]


async def test_readme_error_example_is_what_the_server_says(api: Api) -> None:
    await load_demo(api.store, seed=7, size="tiny")
    visit = next(b for b in curl_bodies() if "recordInteractions" in b["query"])
    variables = json.loads(json.dumps(visit["variables"]).replace("emp-0003", "emp-9999"))
    reply = (await api.post(visit["query"], variables)).json()
    expected = error_example()
    assert reply["data"] is None
    assert [e["extensions"] for e in reply["errors"]] == [e["extensions"] for e in expected["errors"]]
    assert [e["message"] for e in reply["errors"]] == [e["message"] for e in expected["errors"]]
