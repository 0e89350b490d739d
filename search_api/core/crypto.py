"""Encryption at rest for what students write about themselves, and keyed lookup hashes.

Students are minors, so their email, location, interests and skills are stored encrypted with
AES-256-GCM (`cryptography`). Each ciphertext names the key that made it, so after a rotation
(a new key first in CC_ENCRYPTION_KEYS) old rows stay readable, and `careers-admin reencrypt`
moves them to the new key. The associated data binds a ciphertext to its column and row: a
value copied into another row or column fails to decrypt instead of being read as that row's.

Emails are found by HMAC-SHA256 of the normalised address under a separate key, never by the
address itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "v1"  # the token layout below; a later scheme gets a new tag
NONCE_BYTES = 12


class KeyConfigError(ValueError):
    """CC_ENCRYPTION_KEYS is malformed. Raised at start-up, before any request."""


class DecryptionFailed(Exception):
    """Unknown key id, a tampered value, or a value moved from another row or column."""


def parse_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    """`id1:base64,id2:base64` -> (primary id, {id: 32-byte key}). The first key is primary."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not key_id or not key_id.isalnum():
            raise KeyConfigError(f"encryption key {key_id or part[:8]!r}: write it as id:base64")
        try:
            raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), b"-_", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise KeyConfigError(f"encryption key {key_id!r} is not base64") from exc
        if len(raw) != 32:
            raise KeyConfigError(f"encryption key {key_id!r} must be 32 bytes, got {len(raw)}")
        if key_id in keys:
            raise KeyConfigError(f"encryption key id {key_id!r} is listed twice")
        keys[key_id] = raw
        order.append(key_id)
    if not order:
        raise KeyConfigError("CC_ENCRYPTION_KEYS lists no key")
    return order[0], keys


def new_key() -> str:
    """A fresh key for CC_ENCRYPTION_KEYS (the part after `id:`)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


class FieldCipher:
    """Tokens look like `v1.<key id>.<base64(nonce + ciphertext + tag)>`."""

    def __init__(self, primary: str, keys: Mapping[str, bytes]) -> None:
        self.primary = primary
        self._aead = {key_id: AESGCM(key) for key_id, key in keys.items()}

    @classmethod
    def from_spec(cls, spec: str) -> FieldCipher:
        primary, keys = parse_keys(spec)
        return cls(primary, keys)

    def encrypt(self, plaintext: str, context: str) -> str:
        """context: where the value lives (`table.column:row id`), bound as associated data."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead[self.primary].encrypt(nonce, plaintext.encode(), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{FORMAT}.{self.primary}.{body}"

    def decrypt(self, token: str, context: str) -> str:
        try:
            tag, key_id, body = token.split(".", 2)
        except ValueError as exc:
            raise DecryptionFailed("not an encrypted value") from exc
        aead = self._aead.get(key_id)
        if tag != FORMAT or aead is None:
            raise DecryptionFailed(f"no key {key_id!r} to decrypt with")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise DecryptionFailed("the value was altered or belongs elsewhere") from exc

    def key_id(self, token: str) -> str:
        return token.split(".", 2)[1] if token.count(".") >= 2 else ""

    def needs_rotation(self, token: str) -> bool:
        return self.key_id(token) != self.primary


def normalise_email(email: str) -> str:
    return email.strip().casefold()


class LookupHasher:
    """HMAC-SHA256 for equality lookups (emails). Without the key the hash is useless."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def email(self, email: str) -> str:
        return hmac.new(self._key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def sha256_hex(secret: str) -> str:
    """How API keys and refresh tokens are stored: they are long random strings, so a plain
    hash is enough (nothing to brute-force) and lets the database find them by index."""
    return hashlib.sha256(secret.encode()).hexdigest()
