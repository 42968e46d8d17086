"""Personal data encrypted at rest with the national (国密) algorithms: SM4 in GCM mode for the
values, HMAC-SM3 for blind indexes that let us find an account by its e-mail address or mobile
number without storing either in clear.

GB/T 39786-2021 (信息系统密码应用基本要求) asks systems at 等保 level 3 to keep important data
confidential in storage with 国密 algorithms; 个人信息保护法 第五十一条 asks for encryption of
personal information. Keys come from the environment (``PERSONAL_DATA_KEYS``,
``PERSONAL_DATA_INDEX_KEY``); development generates them once under ``var/``.

A stored value is ``sm4gcm:<key id>:<base64(nonce | ciphertext | tag)>``. The key id lets the
keys rotate: new values use the first key, every listed key still decrypts.
"""

from __future__ import annotations

import base64
import hmac as std_hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "PREFIX",
    "DecryptionFailed",
    "KeyRing",
    "blind_index",
    "decrypt",
    "encrypt",
    "generate_key_hex",
    "key_ring",
]

PREFIX = "sm4gcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16  # SM4 has a 128-bit key


class DecryptionFailed(Exception):
    """The value was altered, or no configured key opens it."""


@dataclass(frozen=True)
class KeyRing:
    """The SM4 keys by id (the first one encrypts) and the HMAC-SM3 key of blind indexes."""

    keys: tuple[tuple[str, bytes], ...]
    index_key: bytes

    @property
    def current(self) -> tuple[str, bytes]:
        return self.keys[0]

    def key(self, key_id: str) -> bytes:
        for candidate_id, key in self.keys:
            if candidate_id == key_id:
                return key
        raise DecryptionFailed(f"no key with id {key_id!r} is configured")


def generate_key_hex() -> str:
    return secrets.token_hex(KEY_BYTES)


def _key_from_hex(value: str, name: str) -> bytes:
    try:
        key = bytes.fromhex(value.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be hexadecimal") from error
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be {KEY_BYTES} bytes ({KEY_BYTES * 2} hex digits)")
    return key


def parse_keys(value: str) -> tuple[tuple[str, bytes], ...]:
    """``"2026b:0123…,2026a:4567…"`` → ((id, key), …), the first one current."""
    keys = []
    for part in (item.strip() for item in value.split(",")):
        if not part:
            continue
        key_id, separator, key_hex = part.partition(":")
        if not separator or not key_id or ":" in key_hex:
            raise ImproperlyConfigured("PERSONAL_DATA_KEYS entries are <id>:<32 hex digits>")
        keys.append((key_id, _key_from_hex(key_hex, f"PERSONAL_DATA_KEYS[{key_id}]")))
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS names no key")
    return tuple(keys)


def _local_key(name: str) -> str:
    """A development key generated once under var/ (never committed), like the secret key."""
    var_dir = Path(settings.VAR_DIR)
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = generate_key_hex()
    path.write_text(value)
    path.chmod(0o600)
    return value


@cache
def key_ring() -> KeyRing:
    configured = getattr(settings, "PERSONAL_DATA_KEYS", "")
    index_hex = getattr(settings, "PERSONAL_DATA_INDEX_KEY", "")
    if not configured:
        if getattr(settings, "PERSONAL_DATA_KEYS_REQUIRED", False):
            raise ImproperlyConfigured("PERSONAL_DATA_KEYS must be set in the environment")
        configured = "local:" + _local_key("personal_data_key")
    if not index_hex:
        if getattr(settings, "PERSONAL_DATA_KEYS_REQUIRED", False):
            raise ImproperlyConfigured("PERSONAL_DATA_INDEX_KEY must be set in the environment")
        index_hex = _local_key("personal_data_index_key")
    return KeyRing(keys=parse_keys(configured),
                   index_key=_key_from_hex(index_hex, "PERSONAL_DATA_INDEX_KEY"))


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"PERSONAL_DATA_KEYS", "PERSONAL_DATA_INDEX_KEY", "VAR_DIR"}:
        key_ring.cache_clear()


def encrypt(plaintext: str, *, ring: KeyRing | None = None) -> str:
    """Encrypt ``plaintext`` with the current key; the empty string stays empty (nothing to hide,
    and a blank optional field must not look filled in)."""
    if plaintext == "":
        return ""
    ring = ring or key_ring()
    key_id, key = ring.current
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(key_id.encode())
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    token = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}:{key_id}:{token}"


def decrypt(stored: str, *, ring: KeyRing | None = None) -> str:
    if stored == "":
        return ""
    prefix, _, rest = stored.partition(":")
    key_id, _, token = rest.partition(":")
    if prefix != PREFIX or not token:
        raise DecryptionFailed("not an encrypted value")
    ring = ring or key_ring()
    try:
        raw = base64.b64decode(token, validate=True)
    except ValueError as error:
        raise DecryptionFailed("damaged value") from error
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionFailed("damaged value")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(ring.key(key_id)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(key_id.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as error:
        raise DecryptionFailed("the value was altered or the key is wrong") from error


def normalise_for_index(value: str) -> str:
    """The form two spellings of one address or number share: NFKC (full-width digits become
    ASCII), trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def blind_index(value: str, *, purpose: str, ring: KeyRing | None = None) -> str:
    """HMAC-SM3 of the normalised value, separated by ``purpose`` so the index of an e-mail
    address never equals the index of the same string used as something else."""
    if value == "":
        return ""
    ring = ring or key_ring()
    mac = hmac.HMAC(ring.index_key, hashes.SM3())
    mac.update(purpose.encode() + b"\x00" + normalise_for_index(value).encode("utf-8"))
    return mac.finalize().hex()


def same_digest(left: str, right: str) -> bool:
    return std_hmac.compare_digest(left, right)
