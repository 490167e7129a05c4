"""Password hashing with Argon2id; the cost comes from the settings."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple[int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    key = (current_app.config["PASSWORD_HASH_TIME_COST"], current_app.config["PASSWORD_HASH_MEMORY_COST"])
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1])
    return _hashers[key]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


#: Verified against when the username is unknown, so both failures take the same time.
def dummy_check(password: str) -> None:
    check_password(hash_password("khong-co-tai-khoan"), password)
