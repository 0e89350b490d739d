"""Password rules and Argon2id hashing (argon2-cffi).

Hashing is CPU-bound, so it runs in a worker thread. Login verifies against a dummy hash
when the email is unknown, so an unknown email and a wrong password take the same time and
get the same answer.
"""

from __future__ import annotations

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 128
# Passwords people pick first; long enough to pass the length rule, so listed.
COMMON = frozenset(
    """password123 password1234 1234567890 12345678910 qwertyuiop qwerty12345 iloveyou123
    letmein123 welcome123 abcdefghij abc1234567 admin12345 passw0rd12 india12345 bharat1234
    cricket123 sachin1234 student123 careers123 careercompass""".split()
)


def password_problems(password: str, email: str = "", display_name: str = "") -> list[str]:
    """Every rule the password breaks, as sentences a student can act on."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"use at most {MAX_LENGTH} characters")
    if not any(c.isalpha() for c in password) or not any(not c.isalpha() for c in password):
        problems.append("mix letters with digits or symbols")
    lowered = password.casefold()
    if lowered in COMMON or len(set(lowered)) <= 3:
        problems.append("this password is too easy to guess")
    local = email.split("@", 1)[0].casefold()
    name = display_name.casefold().replace(" ", "")
    if (len(local) >= 4 and local in lowered) or (len(name) >= 4 and name in lowered):
        problems.append("do not use your email or name in the password")
    return problems


class Passwords:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self.hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # What an unknown email is checked against: same parameters, same cost.
        self._dummy = self.hasher.hash("not a real password: unknown accounts land here")

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self.hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """False for a wrong password and for a missing account (stored_hash None)."""

        def check() -> bool:
            try:
                return self.hasher.verify(stored_hash or self._dummy, password) and bool(
                    stored_hash
                )
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

        return await anyio.to_thread.run_sync(check)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self.hasher.check_needs_rehash(stored_hash)
