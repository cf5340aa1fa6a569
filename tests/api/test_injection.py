"""Hostile and exotic text through the API, on both backends: stored literally, read back
byte for byte, and the graph changes by exactly what was created.

Values reach Cypher only as parameters, so a quote, a backtick or `DETACH DELETE` is just
text. Any Unicode is accepted: astral planes, right-to-left text, combining marks,
control characters other than NUL.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .support import Api

INJECTIONS = [
    "O'Brien", 'say "hi"', "it's \"both\"", "back`tick`", "\u0060) DETACH DELETE n //", "`Stakeholder`",
    "x' OR 1=1 //", "x\" OR \"1\"=\"1", "'}) MATCH (n) DETACH DELETE n //", "\"}) MATCH (n) DETACH DELETE n //",
    "a // comment", "/* block */ RETURN 1", "1 UNION MATCH (n) RETURN n", "x' UNION ALL MATCH (m) RETURN m //",
    "CALL db.labels()", "CALL { MATCH (n) DETACH DELETE n }", "DETACH DELETE", "MATCH (n) DETACH DELETE n",
    "$name", "{name}", "$props", "back\\slash \\' \\\" \\u0060 \\n", "; DROP GRAPH relgraph; --",
    "GRAPH.DELETE relgraph", "a\r\nFLUSHALL\r\n*1\r\nb", "${jndi:ldap://x}", "<script>alert(1)</script>",
]
UNICODE = [
    "😀 👩‍👩‍👧‍👦 🇳🇴", "مرحبا بالعالم", "שלום עולם", "a\u202eevil\u202c b", "e\u0301 n\u0303 Z\u0337\u0322a\u0336",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛", "𠜎𠜱𠝹 𪚥", "tab\tnew\nline\rcr", "ctl \x01\x07\x08\x1b[31m\x1f\x7f end",
    "line\u2028para\u2029sep", "\ufeffbom", "nbsp\u00a0zw\u200bj\u200dnj\u200c", "max \U0010fffd \U000e0001",
    "Ω≈ç√∫ ½ ™ ﬁ", "ｆｕｌｌｗｉｄｔｈ", "日本語テキスト", "ἀρχή", "Ꭰ Ꭱ Ꭲ",
]
CORPUS = INJECTIONS + UNICODE

CREATE = """mutation($input: CreateStakeholderInput!) {
  createStakeholder(input: $input) { stakeholder { key name notes industry tags } }
}"""
FILE = """mutation($input: FileComplaintInput!) {
  fileComplaint(input: $input) { complaint { key category description } }
}"""
READ = """query($id: ID!) {
  stakeholder(id: $id) { key name notes industry tags complaints(first: 5) { nodes { key category description } } }
}"""
SEARCH = "query($q: String!) { stakeholders(first: 5, filter: {nameContains: $q}) { nodes { key } } }"


async def census(api: Api) -> Counter[str]:
    """How many nodes of each label and ties of each type the graph holds, whatever they are."""
    nodes = await api.store.runner.read("MATCH (n) RETURN labels(n)[0] AS kind, count(*) AS n")
    ties = await api.store.runner.read("MATCH ()-[r]->() RETURN type(r) AS kind, count(*) AS n")
    return Counter({row["kind"]: row["n"] for row in nodes}) + Counter({f"-[{row['kind']}]-": row["n"] for row in ties})


def changed_by(before: Counter[str], after: Counter[str], **created: int) -> None:
    """`after` is `before` plus exactly `created` of the domain's nodes and ties, and nothing
    was removed. (The app's own bookkeeping nodes, e.g. change logs, may grow.)"""
    domain = ("Stakeholder", "Complaint", "Interaction", "AccountPlan", "-[FILED]-")
    assert {k: after[k] - before[k] for k in domain} == {k: created.get(k.strip("-[]"), 0) for k in domain}
    assert all(after[k] >= n for k, n in before.items()), (before, after)


async def with_bystander(api: Api) -> Counter[str]:
    """A first write through the API (which also sets up its own bookkeeping nodes), then
    the graph's size: from here on, each write adds exactly what it creates."""
    await api.data(CREATE, input={"key": "bystander", "kind": "CUSTOMER", "form": "PERSON", "name": "Bystander"})
    return await census(api)


def stakeholder_input(n: int, text: str) -> dict[str, Any]:
    return {"key": f"inj-{n}", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": text, "notes": f"  {text}  ",
            "industry": text, "tags": [text[:100], "plain"]}


async def test_corpus_is_stored_literally(api: Api) -> None:
    before = await with_bystander(api)

    for n, text in enumerate(CORPUS):
        made = (await api.data(CREATE, input=stakeholder_input(n, text)))["createStakeholder"]["stakeholder"]
        assert made == {"key": f"inj-{n}", "name": text, "notes": f"  {text}  ", "industry": text,
                        "tags": [text[:100], "plain"]}, (n, text)
        filed = (await api.data(FILE, input={"key": f"cmp-{n}", "stakeholder": f"inj-{n}", "channel": "EMAIL",
                                             "category": text, "description": text}))["fileComplaint"]["complaint"]
        assert filed == {"key": f"cmp-{n}", "category": text, "description": text}, (n, text)

    changed_by(before, await census(api), Stakeholder=len(CORPUS), Complaint=len(CORPUS), FILED=len(CORPUS))

    for n, text in enumerate(CORPUS):
        read = (await api.data(READ, id=f"inj-{n}"))["stakeholder"]
        assert read == {"key": f"inj-{n}", "name": text, "notes": f"  {text}  ", "industry": text,
                        "tags": [text[:100], "plain"],
                        "complaints": {"nodes": [{"key": f"cmp-{n}", "category": text, "description": text}]}}, \
            (n, text)
        stored = await api.store.stakeholder(f"inj-{n}")
        assert (stored.name, stored.notes, stored.industry) == (text, f"  {text}  ", text), (n, text)
    assert (await api.store.stakeholder("bystander")).name == "Bystander"


def has_controls(text: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


async def test_corpus_as_keys_and_searches(api: Api) -> None:
    """As keys (ids in Cypher parameters) and as search terms: found exactly, nothing else.
    Keys are the one place control characters are refused (see the test below)."""
    before = await with_bystander(api)
    keys = [f"{n}:{text}"[:128] for n, text in enumerate(CORPUS) if not has_controls(text)]
    for n, key in enumerate(keys):
        made = await api.data(CREATE, input={"key": key, "kind": "SUPPLIER", "form": "PERSON", "name": f"Name {n}"})
        assert made["createStakeholder"]["stakeholder"]["key"] == key
        assert (await api.data(READ, id=key))["stakeholder"]["key"] == key, key
    changed_by(before, await census(api), Stakeholder=len(keys))

    await api.data(CREATE, input={"key": "needle", "kind": "CUSTOMER", "form": "PERSON",
                                  "name": "x' OR 1=1 // needle"})
    for text in CORPUS:
        found = [n["key"] for n in (await api.data(SEARCH, q=text))["stakeholders"]["nodes"]]
        assert found == (["needle"] if text == "x' OR 1=1 //" else []), (text, found)
    changed_by(before, await census(api), Stakeholder=len(keys) + 1)


async def test_control_characters_in_keys_are_refused(api: Api) -> None:
    """FalkorDB 4.16 crashes when U+0001 is written under a unique constraint (every id):
    keys with control characters are BAD_USER_INPUT, and the database keeps answering."""
    before = await with_bystander(api)
    for key in ("a\x01b", "\x01", "tab\tkey", "del\x7f"):
        error = await api.error(CREATE, input={"key": key, "kind": "CUSTOMER", "form": "PERSON", "name": "N"})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.key"}, (key, error)
    made = await api.data(CREATE, input={"key": "after", "kind": "CUSTOMER", "form": "PERSON", "name": "a\x01b"})
    assert made["createStakeholder"]["stakeholder"]["name"] == "a\x01b", "in other text they are fine"
    changed_by(before, await census(api), Stakeholder=1)


async def test_nul_is_refused(api: Api) -> None:
    """NUL is the one character no string may hold (FalkorDB reads parameters as C strings):
    BAD_USER_INPUT on the field, before anything runs, whether written or looked up."""
    before = await with_bystander(api)
    person = {"kind": "CUSTOMER", "form": "PERSON", "name": "N"}
    for field, value in (("name", "a\x00b"), ("notes", "\x00"), ("key", "k\x00")):
        error = await api.error(CREATE, input=person | {field: value})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": f"input.{field}"}, error
    error = await api.error(READ, id="bystander\x00")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    literal = await api.error('{ stakeholder(id: "bystander\\u0000") { key } }')
    assert literal["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    changed_by(before, await census(api))
