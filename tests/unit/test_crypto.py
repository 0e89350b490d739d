from __future__ import annotations

import base64

import pytest

from search_api.core.crypto import (
    DecryptionFailed,
    FieldCipher,
    KeyConfigError,
    LookupHasher,
    new_key,
    parse_keys,
)

OLD = f"old:{new_key()}"
NEW = f"new:{new_key()}"


def test_round_trip_and_fresh_nonce_each_time() -> None:
    cipher = FieldCipher.from_spec(OLD)
    first = cipher.encrypt("asha.verma@example.in", "users.email:1")
    second = cipher.encrypt("asha.verma@example.in", "users.email:1")
    assert first != second
    assert "asha" not in first
    assert cipher.decrypt(first, "users.email:1") == "asha.verma@example.in"
    assert cipher.key_id(first) == "old"


def test_a_value_moved_to_another_row_or_altered_does_not_decrypt() -> None:
    cipher = FieldCipher.from_spec(OLD)
    token = cipher.encrypt("Pune", "user_profiles.private_data:1")
    with pytest.raises(DecryptionFailed):
        cipher.decrypt(token, "user_profiles.private_data:2")
    tag, key_id, body = token.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionFailed):
        cipher.decrypt(f"{tag}.{key_id}.{flipped}", "user_profiles.private_data:1")
    with pytest.raises(DecryptionFailed):
        cipher.decrypt("plain text", "user_profiles.private_data:1")


def test_rotation_keeps_old_rows_readable_and_says_what_to_reencrypt() -> None:
    before = FieldCipher.from_spec(OLD)
    token = before.encrypt("coding, cricket", "ctx")
    after = FieldCipher.from_spec(f"{NEW},{OLD}")
    assert after.decrypt(token, "ctx") == "coding, cricket"
    assert after.needs_rotation(token)
    moved = after.encrypt(after.decrypt(token, "ctx"), "ctx")
    assert not after.needs_rotation(moved)
    only_new = FieldCipher.from_spec(NEW)
    assert only_new.decrypt(moved, "ctx") == "coding, cricket"
    with pytest.raises(DecryptionFailed):
        only_new.decrypt(token, "ctx")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "lists no key"),
        ("nokey", "id:base64"),
        ("k1:" + base64.urlsafe_b64encode(b"short").decode(), "32 bytes"),
        (f"k1:{new_key()},k1:{new_key()}", "twice"),
        ("k1:***", "base64"),
    ],
)
def test_bad_key_settings_are_refused(spec: str, problem: str) -> None:
    with pytest.raises(KeyConfigError, match=problem):
        parse_keys(spec)


def test_email_lookup_hash_is_keyed_and_normalised() -> None:
    one = LookupHasher("key one")
    assert one.email(" Asha@Example.in ") == one.email("asha@example.in")
    assert one.email("asha@example.in") != LookupHasher("key two").email("asha@example.in")
    assert "asha" not in one.email("asha@example.in")
