"""Migration 0004 converts the rows already there (clear emails and interests) and back."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from search_api.core.crypto import FieldCipher, LookupHasher
from search_api.core.db import make_sync_engine
from search_api.core.settings import Settings
from tests.fixtures.services import ROOT


@pytest.fixture
def schema_at_0003(base_settings: Settings) -> Iterator[tuple[Config, Engine]]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_sync_engine(base_settings.database_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = (
        make_url(base_settings.database_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "0003")
    engine = make_sync_engine(url)
    try:
        yield config, engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_upgrade_encrypts_existing_rows_and_downgrade_restores_them(
    schema_at_0003: tuple[Config, Engine], base_settings: Settings
) -> None:
    config, engine = schema_at_0003
    user_id, key_id, session_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, password_hash, display_name, role, is_active) "
                "VALUES (:id, 'Old.Student@Example.in', 'argon2-hash', 'Old Student', "
                "'student', true)"
            ),
            {"id": user_id},
        )
        conn.execute(
            text(
                "INSERT INTO user_profiles (user_id, grade, stream, interests, skills, "
                "work_preferences) VALUES (:id, 12, 'PCB', '[\"birds\"]', '[\"drawing\"]', '{}')"
            ),
            {"id": user_id},
        )
        conn.execute(
            text(
                "INSERT INTO api_keys (id, name, key_hash, role) "
                "VALUES (:id, 'old key', :hash, 'admin')"
            ),
            {"id": key_id, "hash": "a" * 64},
        )
        conn.execute(
            text(
                "INSERT INTO user_sessions (id, user_id, token_hash, expires_at) "
                "VALUES (:id, :user, :hash, now() + interval '1 day')"
            ),
            {"id": session_id, "user": user_id, "hash": "b" * 64},
        )
        conn.execute(
            text(
                "INSERT INTO user_interactions (user_id, kind, payload) VALUES (:id, 'view', '{}')"
            ),
            {"id": user_id},
        )

    command.upgrade(config, "head")
    cipher = FieldCipher.from_spec(base_settings.encryption_keys)
    with engine.connect() as conn:
        user = conn.execute(text("SELECT * FROM users")).one()
        profile = conn.execute(text("SELECT * FROM user_profiles")).one()
        key = conn.execute(text("SELECT * FROM api_keys")).one()
        session = conn.execute(text("SELECT * FROM user_sessions")).one()
    assert user.email_hash == LookupHasher(base_settings.email_hash_key).email(
        "old.student@example.in"
    )
    assert (
        cipher.decrypt(user.email_encrypted, f"users.email:{user_id}") == "Old.Student@Example.in"
    )
    assert cipher.decrypt(user.display_name_encrypted, f"users.display_name:{user_id}") == (
        "Old Student"
    )
    assert "email" not in user._mapping
    assert "display_name" not in user._mapping
    private = json.loads(
        cipher.decrypt(profile.private_data, f"user_profiles.private_data:{user_id}")
    )
    assert private == {"interests": ["birds"], "skills": ["drawing"], "state": None}
    assert "interests" not in profile._mapping
    assert key.scopes == ["admin", "read"]
    assert key.revoked_at is not None
    assert session.family_id == session_id
    # interactions now go with the account
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM users"))
        assert conn.execute(text("SELECT count(*) FROM user_interactions")).scalar_one() == 0
        conn.execute(
            text(
                "INSERT INTO users (id, email_hash, email_encrypted, display_name_encrypted, "
                "password_hash, role, is_active) VALUES (:id, :h, :e, :n, 'x', 'student', true)"
            ),
            {
                "id": user_id,
                "h": user.email_hash,
                "e": user.email_encrypted,
                "n": user.display_name_encrypted,
            },
        )
        conn.execute(
            text(
                "INSERT INTO user_profiles (user_id, grade, stream, work_preferences, "
                "private_data) VALUES (:id, 12, 'PCB', '{}', :p)"
            ),
            {"id": user_id, "p": profile.private_data},
        )

    command.downgrade(config, "0003")
    with engine.connect() as conn:
        user = conn.execute(text("SELECT * FROM users")).one()
        profile = conn.execute(text("SELECT * FROM user_profiles")).one()
    assert (user.email, user.display_name) == ("Old.Student@Example.in", "Old Student")
    assert (profile.interests, profile.skills) == (["birds"], ["drawing"])
