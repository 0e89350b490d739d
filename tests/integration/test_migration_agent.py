"""Migration 0005 adds conversations and lets a plan belong to one; down again keeps the
students' plans and drops the anonymous ones (they have no account to stay with)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from search_api.core.db import make_sync_engine
from search_api.core.settings import Settings
from tests.fixtures.services import ROOT


@pytest.fixture
def schema_at_0004(base_settings: Settings) -> Iterator[tuple[Config, Engine]]:
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
    command.upgrade(config, "0004")
    engine = make_sync_engine(url)
    try:
        yield config, engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_upgrade_and_downgrade(schema_at_0004: tuple[Config, Engine]) -> None:
    config, engine = schema_at_0004
    user_id, plan_id = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email_hash, email_encrypted, display_name_encrypted, "
                "password_hash, role, is_active) VALUES (:id, 'h', 'e', 'n', 'x', 'student', true)"
            ),
            {"id": user_id},
        )
        conn.execute(
            text("INSERT INTO career_plans (id, user_id, document) VALUES (:id, :u, '{}')"),
            {"id": plan_id, "u": user_id},
        )
    command.upgrade(config, "0005")
    session_id, anonymous_plan = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agent_sessions (id, slots, history, expires_at) "
                "VALUES (:id, '{}', '[]', now() + interval '1 hour')"
            ),
            {"id": session_id},
        )
        conn.execute(
            text(
                "INSERT INTO career_plans (id, agent_session_id, career_id, document) "
                "VALUES (:id, :s, 'lawyer', '{}')"
            ),
            {"id": anonymous_plan, "s": session_id},
        )
    # a plan must have an owner
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO career_plans (id, document) VALUES (:id, '{}')"),
            {"id": uuid.uuid4()},
        )
    # deleting the conversation deletes its plan
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM agent_sessions WHERE id = :id"), {"id": session_id})
        left = conn.execute(
            text("SELECT count(*) FROM career_plans WHERE id = :id"), {"id": anonymous_plan}
        ).scalar_one()
        assert left == 0
        conn.execute(
            text(
                "INSERT INTO agent_sessions (id, slots, history, expires_at) "
                "VALUES (:id, '{}', '[]', now())"
            ),
            {"id": session_id},
        )
        conn.execute(
            text(
                "INSERT INTO career_plans (id, agent_session_id, document) VALUES (:id, :s, '{}')"
            ),
            {"id": anonymous_plan, "s": session_id},
        )
    command.downgrade(config, "0004")
    with engine.connect() as conn:
        plans = conn.execute(text("SELECT id FROM career_plans")).scalars().all()
        tables = conn.execute(
            text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_name = 'agent_sessions' AND table_schema = current_schema()"
            )
        ).scalar_one()
    assert plans == [plan_id]
    assert tables == 0
