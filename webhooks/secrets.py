"""Signing secrets: made (``whsec_`` + base64 of 32 random bytes, as Standard Webhooks
serialises them), kept encrypted at rest (Fernet, with a key derived from
``WEBHOOKS_SECRET_KEY``, by default the Django ``SECRET_KEY``), and signatures made
(``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` with the decoded secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "whsec_"


class SecretUnreadable(RuntimeError):
    """A stored secret cannot be decrypted (the encryption key changed): rotate it."""


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


@cache
def _fernet(root: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"clusterbase-webhooks", info=b"secrets"
    ).derive(root.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _root() -> str:
    return getattr(settings, "WEBHOOKS_SECRET_KEY", "") or settings.SECRET_KEY


def seal(secret: str) -> str:
    return _fernet(_root()).encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    try:
        return _fernet(_root()).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "The endpoint's secret cannot be decrypted (WEBHOOKS_SECRET_KEY or SECRET_KEY "
            "changed); rotate the secret."
        ) from None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One Standard Webhooks signature: ``v1,<base64 HMAC-SHA256>``."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
