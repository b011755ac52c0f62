"""Password hashes with Argon2id (``argon2-cffi``): only hashes are stored, never passwords."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash (with its own random salt) to paste into configuration."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a dashboard password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def is_password_hash(text: str) -> bool:
    """True for a well-formed Argon2 hash string."""
    try:
        extract_parameters(text)
    except (InvalidHashError, ValueError):
        return False
    return True


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches (in the time the hash takes, whatever the answer)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
