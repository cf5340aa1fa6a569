"""JWT verification: signature, exp, iss and aud checked; claims mapped to roles."""

from __future__ import annotations

import time
from pathlib import Path

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given
from hypothesis import strategies as st

from relgraph.auth.jwt import JwtVerifier, parse_role_map, role_from_claims
from relgraph.auth.roles import Role
from relgraph.config import Settings
from relgraph.errors import Forbidden, Unauthenticated

from .jwt_support import AUDIENCE, ISSUER, ROLE_MAP, SECRET, hs256, public_pem, rs256, rsa_key


def verifier(**settings: str) -> JwtVerifier:
    base = {"jwt_secret": SECRET, "jwt_public_key": public_pem(), "jwt_issuer": ISSUER,
            "jwt_audience": AUDIENCE, "jwt_role_map": ROLE_MAP}
    base.update(settings)
    made = JwtVerifier.from_settings(Settings(**base))
    assert made is not None
    return made


def test_nothing_configured_means_no_verifier() -> None:
    assert JwtVerifier.from_settings(Settings()) is None


@pytest.mark.parametrize("sign", [hs256, rs256], ids=["HS256", "RS256"])
def test_a_good_token_names_its_subject_and_role(sign) -> None:
    principal = verifier().verify(sign(role="finance"))
    assert (principal.role, principal.subject, principal.via) == (Role.ANALYST, "ada", "jwt")


@pytest.mark.parametrize("sign", [hs256, rs256], ids=["HS256", "RS256"])
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iss": "https://evil.example"}, "issuer"),
        ({"aud": "another-api"}, "audience"),
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"exp": None}, "'exp'"),
        ({"iss": None}, "'iss'"),
    ],
    ids=["issuer", "audience", "expired", "no-exp", "no-iss"],
)
def test_bad_claims_are_unauthenticated(sign, change: dict, message: str) -> None:
    with pytest.raises(Unauthenticated, match=message):
        verifier().verify(sign(**change))


def test_a_forged_signature_is_unauthenticated() -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated, match="not valid"):
        verifier().verify(rs256(other))
    with pytest.raises(Unauthenticated, match="not valid"):
        verifier().verify(pyjwt.encode({"exp": int(time.time()) + 60}, "wrong-secret-wrong-secret-wrong-secret!"))
    token = hs256()
    with pytest.raises(Unauthenticated, match="not valid"):
        verifier().verify(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def _hmac_token(key: bytes, payload: dict) -> str:
    """A token signed by hand, as an attacker would (PyJWT itself refuses a PEM as HMAC key)."""
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(payload).encode())
    return signing_input + "." + b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())


def test_the_public_key_is_never_an_hmac_secret() -> None:
    """Algorithm confusion: an HS256 token whose HMAC key is the (public) PEM."""
    payload = {"exp": int(time.time()) + 60, "role": "crm-admins", "iss": ISSUER, "aud": AUDIENCE}
    forged = _hmac_token(public_pem().encode(), payload)
    with pytest.raises(Unauthenticated):
        verifier(jwt_secret="").verify(forged)
    with pytest.raises(Unauthenticated):
        verifier().verify(forged)
    assert verifier().verify(_hmac_token(SECRET.encode(), payload)).role is Role.ADMIN  # the same, done right


def test_unsigned_tokens_are_refused() -> None:
    token = pyjwt.encode({"exp": int(time.time()) + 60, "role": "admin", "iss": ISSUER, "aud": AUDIENCE},
                         None, algorithm="none")
    with pytest.raises(Unauthenticated):
        verifier().verify(token)


def test_a_token_without_a_role_is_forbidden() -> None:
    with pytest.raises(Forbidden, match="'role'"):
        verifier().verify(hs256(role="intern"))


def test_the_public_key_may_be_a_file(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text(public_pem())
    assert verifier(jwt_public_key=str(path), jwt_secret="").verify(rs256(role="crm-admins")).role is Role.ADMIN


def test_issuer_and_audience_are_optional() -> None:
    loose = verifier(jwt_issuer="", jwt_audience="")
    assert loose.verify(hs256(iss=None, aud=None, role="sales")).role is Role.EDITOR


def test_role_claim_and_list_values() -> None:
    custom = verifier(jwt_role_claim="groups")
    assert custom.verify(hs256(role=None, groups=["staff", "sales", "intern"])).role is Role.EDITOR


def test_without_a_map_values_are_role_names() -> None:
    plain = verifier(jwt_role_map="")
    assert plain.verify(hs256(role="ADMIN")).role is Role.ADMIN
    assert plain.verify(hs256(role=["viewer", "editor"])).role is Role.EDITOR
    with pytest.raises(Forbidden, match="names no relgraph role"):
        plain.verify(hs256(role="crm-admins"))


@pytest.mark.parametrize("named", ["admin", "ADMIN", "editor", "viewer", ["admin", "intern"]])
def test_with_a_map_a_plain_role_name_grants_nothing(named: str | list[str]) -> None:
    """A provider's group that happens to be called `admin` does not make an admin."""
    with pytest.raises(Forbidden, match="role map"):
        verifier().verify(hs256(role=named))
    assert verifier().verify(hs256(role=["admin", "staff"])).role is Role.VIEWER  # only the mapped value counts


def test_passthrough_lets_role_names_through_beside_the_map() -> None:
    loose = verifier(jwt_role_map_passthrough="true")
    assert loose.verify(hs256(role="admin")).role is Role.ADMIN
    assert loose.verify(hs256(role=["viewer", "finance"])).role is Role.ANALYST
    with pytest.raises(Forbidden, match="names no relgraph role"):
        loose.verify(hs256(role="intern"))


claim_values = st.sampled_from(["crm-admins", "sales", "finance", "staff", "viewer", "ADMIN", "intern", "", "x=y"])
ROLE_NAMES = {r.value for r in Role}


@given(st.lists(claim_values, max_size=5), st.booleans(), st.booleans())
def test_mapping_takes_the_highest_granted_role(values: list[str], mapped: bool, passthrough: bool) -> None:
    role_map = parse_role_map(ROLE_MAP) if mapped else {}
    names_count = passthrough or not mapped
    expected = [role_map[v] if v in role_map else Role(v.lower()) for v in values
                if v in role_map or (names_count and v.lower() in ROLE_NAMES)]
    got = role_from_claims({"role": values}, "role", role_map, passthrough=passthrough)
    assert got == (max(expected, key=lambda r: r.rank) if expected else None)
    if len(values) == 1:
        assert role_from_claims({"role": values[0]}, "role", role_map, passthrough=passthrough) == got


@pytest.mark.parametrize("bad", ["sales", "sales=owner", "=admin"])
def test_a_bad_role_map_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_role_map(bad)


def test_role_map_pairs_may_hold_equals_signs_in_values() -> None:
    assert parse_role_map("ou=crm=admin, sales = editor ,") == {"ou=crm": Role.ADMIN, "sales": Role.EDITOR}


def test_rsa_helper_is_stable() -> None:
    assert rsa_key() is rsa_key()
