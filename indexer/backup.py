"""Backups of the catalogue database with the PostgreSQL client tools (pg_dump -Fc / pg_restore).

Only PostgreSQL is backed up: it is the source of truth, and the index is rebuilt from it after a
restore. The client binaries must match the server: pg_dump refuses a server newer than itself,
and an archive written by a newer pg_dump may not restore with an older pg_restore. Debian keeps
every major version in /usr/lib/postgresql/<major>/bin while /usr/bin/pg_dump is a wrapper that
may pick another one, so the tool is chosen by asking the server for its version first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from search_api.core.db import make_sync_engine

# The first bytes of every pg_dump custom-format (-Fc) archive.
CUSTOM_FORMAT_MAGIC = b"PGDMP"
PLAIN_DUMP_MARKERS = (b"-- PostgreSQL database dump", b"--\n-- PostgreSQL database dump")
DEBIAN_BIN_ROOT = Path("/usr/lib/postgresql")
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class BackupError(Exception):
    """A problem the CLI reports as one line: it names the file, database or tool."""


@dataclass(frozen=True)
class Target:
    """Where libpq tools connect, without the password on their command line."""

    host: str
    port: int
    user: str
    database: str
    password: str | None

    @classmethod
    def from_url(cls, database_url: str) -> Target:
        url: URL = make_url(database_url)
        return cls(
            host=url.host or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            database=url.database or "postgres",
            password=url.password,
        )

    def args(self) -> list[str]:
        return ["-h", self.host, "-p", str(self.port), "-U", self.user, "-d", self.database]

    def env(self) -> dict[str, str]:
        # PGPASSWORD rather than a URL argument: argv is visible to every user in `ps`.
        env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
        env.pop("PGOPTIONS", None)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env

    def describe(self) -> str:
        return f"{self.database} at {self.host}:{self.port}"


@dataclass(frozen=True)
class DatabaseState:
    server_version: str  # e.g. "15.18"
    server_major: int
    tables: int  # user tables, in every schema but the system ones
    careers: int | None  # rows in careers, None when the table does not exist


def inspect_database(database_url: str) -> DatabaseState:
    target = Target.from_url(database_url)
    engine = make_sync_engine(database_url)
    try:
        with engine.connect() as conn:
            version = str(conn.scalar(text("SHOW server_version")))
            number = int(conn.scalar(text("SHOW server_version_num")) or 0)
            tables = int(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN "
                        "('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg_toast%'"
                    )
                )
                or 0
            )
            exists = conn.scalar(text("SELECT to_regclass('careers') IS NOT NULL"))
            careers = (
                int(conn.scalar(text("SELECT count(*) FROM careers")) or 0) if exists else None
            )
    except (DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise BackupError(f"PostgreSQL database {target.describe()} unreachable: {reason}") from exc
    finally:
        engine.dispose()
    return DatabaseState(version.split()[0], number // 10000, tables, careers)


def tool_major(binary: str) -> int | None:
    try:
        done = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return None
    match = _VERSION.search(done.stdout)
    return int(match.group(1)) if match else None


def find_tool(name: str, server_major: int, bin_dir: str = "") -> tuple[str, int]:
    """The pg_dump/pg_restore for this server: an explicit directory, then Debian's versioned
    one, then PATH; the same major version as the server wins, a newer one is second best."""
    candidates: list[str] = []
    if bin_dir:
        candidates.append(str(Path(bin_dir) / name))
    candidates.append(str(DEBIAN_BIN_ROOT / str(server_major) / "bin" / name))
    if on_path := shutil.which(name):
        candidates.append(on_path)
    found: list[tuple[str, int]] = []
    for candidate in dict.fromkeys(candidates):
        if Path(candidate).is_file() and (major := tool_major(candidate)) is not None:
            if major == server_major:
                return candidate, major
            found.append((candidate, major))
    newer = sorted((m, c) for c, m in found if m > server_major)
    if newer:
        return newer[0][1], newer[0][0]
    seen = ", ".join(f"{c} ({m})" for c, m in found) or "none found"
    raise BackupError(
        f"no {name} for PostgreSQL {server_major} (tried: {seen}); install "
        f"postgresql-client-{server_major} or set CC_POSTGRES_BIN_DIR"
    )


def check_archive(path: Path) -> None:
    """One clear line for a file that is missing or is not a custom-format dump."""
    if not path.exists():
        raise BackupError(f"{path}: no such file")
    if not path.is_file():
        raise BackupError(f"{path}: not a file")
    with path.open("rb") as handle:
        head = handle.read(64)
    if head.startswith(CUSTOM_FORMAT_MAGIC):
        return
    if not head:
        raise BackupError(f"{path}: empty file, not a backup")
    if any(head.startswith(marker) for marker in PLAIN_DUMP_MARKERS):
        raise BackupError(
            f"{path}: a plain SQL dump, not a custom-format archive "
            "(careers-admin backup writes pg_dump -Fc); restore it with psql"
        )
    raise BackupError(
        f"{path}: not a pg_dump custom-format archive (it does not start with PGDMP); "
        "make backups with careers-admin backup"
    )


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no output"])[0][:300]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    tool: str
    server_version: str
    careers: int | None


def backup(
    database_url: str, path: Path, *, force: bool = False, bin_dir: str = ""
) -> BackupResult:
    if path.exists() and not force:
        raise BackupError(f"{path}: already exists; pass --force to overwrite it")
    if path.exists() and not path.is_file():
        raise BackupError(f"{path}: exists and is not a file")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent}: no such directory")
    state = inspect_database(database_url)
    tool, _ = find_tool("pg_dump", state.server_major, bin_dir)
    target = Target.from_url(database_url)
    # Written next to the target and renamed: a failed dump never leaves a truncated backup
    # under the name a later restore would trust.
    partial = path.with_name(f".{path.name}.partial")
    done = subprocess.run(
        [tool, "--format=custom", "--no-owner", "--no-acl", "--file", str(partial), *target.args()],
        capture_output=True,
        text=True,
        env=target.env(),
        check=False,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump of {target.describe()} failed: {_first_error(done.stderr)}")
    partial.replace(path)
    return BackupResult(path, path.stat().st_size, tool, state.server_version, state.careers)


@dataclass(frozen=True)
class ArchiveInfo:
    dumped_from: str  # the server version the archive was made from
    database: str
    entries: int


def archive_info(tool: str, path: Path) -> ArchiveInfo:
    done = subprocess.run(
        [tool, "--list", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{path}: pg_restore cannot read it: {_first_error(done.stderr)}")
    header = {}
    for line in done.stdout.splitlines():
        if line.startswith(";") and ":" in line:
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
    entries = sum(1 for line in done.stdout.splitlines() if line and not line.startswith(";"))
    return ArchiveInfo(
        header.get("Dumped from database version", "?"), header.get("dbname", "?"), entries
    )


@dataclass(frozen=True)
class RestoreResult:
    archive: ArchiveInfo
    tool: str
    server_version: str
    careers: int


def restore(
    database_url: str, path: Path, *, force: bool = False, bin_dir: str = ""
) -> RestoreResult:
    check_archive(path)
    target = Target.from_url(database_url)
    state = inspect_database(database_url)
    if state.tables and not force:
        raise BackupError(
            f"database {target.describe()} is not empty ({state.tables} table(s)); restore "
            "into an empty database (createdb) or pass --force to replace what it holds"
        )
    tool, _ = find_tool("pg_restore", state.server_major, bin_dir)
    info = archive_info(tool, path)
    replace = ["--clean", "--if-exists"] if state.tables else []
    done = subprocess.run(
        [
            tool,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            *replace,
            *target.args(),
            str(path),
        ],
        capture_output=True,
        text=True,
        env=target.env(),
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore of {path} into {target.describe()} failed, nothing restored: "
            f"{_first_error(done.stderr)}"
        )
    after = inspect_database(database_url)
    if after.careers is None:
        raise BackupError(f"{path}: restored, but it holds no careers table (not our database?)")
    return RestoreResult(info, tool, after.server_version, after.careers)
