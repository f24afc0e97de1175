"""Secrets a programme gives us (integration tokens), encrypted at rest with Fernet.

The key is ``settings.FIELD_ENCRYPTION_KEY`` (environment ``FIELD_ENCRYPTION_KEY``, a
Fernet key: 32 url-safe base64 bytes). When it is not set, a key is derived from
``SECRET_KEY``, so a development database works out of the box; production sets its own,
and rotating ``SECRET_KEY`` without it makes stored secrets unreadable (they must be set
again). Plain text never leaves this module except to the code that uses it.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the current key."""


def _fernet() -> Fernet:
    key = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""
    if not key:
        digest = hashlib.sha256(b"clusterbase field encryption:" + settings.SECRET_KEY.encode())
        key = base64.urlsafe_b64encode(digest.digest()).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt_text(plain: str) -> str:
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable("The stored secret cannot be read with the current key.") from exc
