"""Tokens for the tests: HS256 with a shared secret, RS256 with a generated RSA key."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SECRET = "test-secret-that-is-long-enough-for-hs256!"
ISSUER = "https://id.example.test"
AUDIENCE = "relgraph-api"
ROLE_MAP = "crm-admins=admin,sales=editor,finance=analyst,staff=viewer"


@cache
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey | None = None) -> str:
    return (key or rsa_key()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"sub": "ada", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300, "role": "staff"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs256(**overrides: Any) -> str:
    return jwt.encode(claims(**overrides), SECRET, algorithm="HS256")


def rs256(key: rsa.RSAPrivateKey | None = None, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), key or rsa_key(), algorithm="RS256")
