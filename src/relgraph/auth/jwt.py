"""Bearer JWTs: verified with PyJWT against a shared secret or a public key.

The signature, `exp` (required), and `iss`/`aud` when configured are checked; the
role comes from one claim (`jwt_role_claim`, a string or a list of strings). Without a
`jwt_role_map`, each value is taken as a role name; with one (`crm-admins=admin,sales=editor`),
only the map's values grant roles, unless `jwt_role_map_passthrough` also lets role names
through. With several values, the highest role wins. The algorithm is chosen by the key, never
by the token alone: an HMAC token is checked only against the secret, a signed one only
against the public key, so a public key can never be used as an HMAC secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from relgraph.auth.principal import Principal
from relgraph.auth.roles import Role, highest, role_named
from relgraph.config import Settings
from relgraph.errors import Forbidden, Unauthenticated

HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")
#: Clock skew allowed on exp/nbf/iat, in seconds.
LEEWAY_S = 30


def parse_role_map(text: str) -> dict[str, Role]:
    """`value=role,value=role` as a dict; ValueError on a malformed pair or unknown role."""
    mapping: dict[str, Role] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        value, sep, role = pair.rpartition("=")
        if not sep or not value.strip():
            raise ValueError(f"jwt_role_map: {pair!r} is not value=role")
        mapping[value.strip()] = role_named(role)
    return mapping


def role_from_claims(
    claims: dict[str, Any], claim: str, role_map: dict[str, Role], *, passthrough: bool = False
) -> Role | None:
    """The highest role the claim's values grant, or None when none does.

    A map is set because the identity provider's values are its own (groups, say), not
    our role names; one of them that happens to read `admin` must not make its holder
    an admin. So with a map only mapped values count, unless `passthrough` says the
    provider also issues our role names. Without a map the values are role names.
    """
    raw = claims.get(claim)
    values = raw if isinstance(raw, list) else [raw]
    names_count = passthrough or not role_map
    roles: list[Role] = []
    for value in values:
        if not isinstance(value, str):
            continue
        if value in role_map:
            roles.append(role_map[value])
            continue
        if not names_count:
            continue
        try:
            roles.append(role_named(value))
        except ValueError:
            pass
    return highest(roles)


def _public_key(text: str) -> tuple[Any, tuple[str, ...]]:
    """A PEM public key (given inline or as a file path) and the algorithms it verifies."""
    pem = text if "-----BEGIN" in text else Path(text).expanduser().read_text()
    key = load_pem_public_key(pem.encode())
    if isinstance(key, rsa.RSAPublicKey):
        return key, ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key, ("ES256", "ES384", "ES512")
    if isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
        return key, ("EdDSA",)
    raise ValueError(f"jwt_public_key: unsupported key type {type(key).__name__}")


class JwtVerifier:
    """Checks one token and names its principal; built once per process from Settings."""

    def __init__(self, settings: Settings) -> None:
        self.secret = settings.jwt_secret or None
        self.public_key, self.signed_algorithms = (
            _public_key(settings.jwt_public_key) if settings.jwt_public_key else (None, ())
        )
        self.issuer = settings.jwt_issuer or None  # "" (an empty variable) means unset
        self.audience = settings.jwt_audience or None
        self.claim = settings.jwt_role_claim
        self.role_map = parse_role_map(settings.jwt_role_map)
        self.passthrough = settings.jwt_role_map_passthrough

    @classmethod
    def from_settings(cls, settings: Settings) -> JwtVerifier | None:
        """A verifier when a secret or a public key is configured, else None."""
        return cls(settings) if settings.jwt_secret or settings.jwt_public_key else None

    def _key_for(self, algorithm: str) -> Any:
        if algorithm in HMAC_ALGORITHMS and self.secret:
            return self.secret
        if algorithm in self.signed_algorithms:
            return self.public_key
        raise Unauthenticated(f"tokens signed with {algorithm} are not accepted here")

    def claims(self, token: str) -> dict[str, Any]:
        """The token's verified claims; UNAUTHENTICATED saying what is wrong otherwise."""
        try:
            algorithm = str(jwt.get_unverified_header(token).get("alg"))
            return jwt.decode(
                token,
                self._key_for(algorithm),
                algorithms=[algorithm],
                issuer=self.issuer,
                audience=self.audience,
                leeway=LEEWAY_S,
                options={"require": ["exp"] + (["iss"] if self.issuer else []) + (["aud"] if self.audience else [])},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired") from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated("the token's issuer is not accepted") from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated("the token's audience is not accepted") from None
        except jwt.MissingRequiredClaimError as exc:
            raise Unauthenticated(f"the token lacks the {exc.claim!r} claim") from None
        except jwt.InvalidTokenError:
            raise Unauthenticated("the token is not valid") from None

    def verify(self, token: str) -> Principal:
        claims = self.claims(token)
        role = role_from_claims(claims, self.claim, self.role_map, passthrough=self.passthrough)
        if role is None:
            if self.role_map and not self.passthrough:
                raise Forbidden(f"the token's {self.claim!r} claim has no value that the role map grants a role to")
            raise Forbidden(f"the token's {self.claim!r} claim names no relgraph role")
        return Principal(role, str(claims.get("sub") or "jwt"), "jwt")
