"""Signing secrets: made (``whsec_`` + base64 of 32 random bytes, as Standard Webhooks
serialises them), kept encrypted at rest with the project's one field cipher
(``clusters.crypto``), and signatures made (``v1,<base64 HMAC-SHA256 of
"id.timestamp.body">`` with the decoded secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from clusters.crypto import SecretUnreadable, decrypt_text, encrypt_text

PREFIX = "whsec_"

__all__ = ["SecretUnreadable", "new_secret", "seal", "sign", "unseal"]


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def seal(secret: str) -> str:
    return encrypt_text(secret)


def unseal(token: str) -> str:
    """The clear secret (``SecretUnreadable`` when the key changed: rotate the secret)."""
    return decrypt_text(token)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One Standard Webhooks signature: ``v1,<base64 HMAC-SHA256>``."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
