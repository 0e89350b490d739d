"""careers-admin: keep PostgreSQL and the OpenSearch index in step with the catalogue."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from search_api.core.settings import Settings, get_settings

if TYPE_CHECKING:
    from rich.progress import Progress

    from indexer.embedding_cache import CachedEmbedder
    from indexer.reindex import ReindexResult
    from search_api.core.clients import Clients
    from search_api.search.index import CareerIndex

app = typer.Typer(
    help=(
        "Career Compass admin CLI. PostgreSQL is the source of truth; OpenSearch is rebuilt "
        "from it. Settings come from CC_* environment variables (see .env.example)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_INVALID = 1
EXIT_UNREACHABLE = 2
T = TypeVar("T")


class ServiceUnreachable(Exception):
    def __init__(self, service: str, url: str, reason: str) -> None:
        super().__init__(f"{service} unreachable at {url}: {reason}")
        self.service = service
        self.url = url
        self.reason = reason


def redact(url: str) -> str:
    """Hide the password in a URL before printing it."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a dead dependency becomes one line and exit code 2."""
    try:
        return asyncio.run(main)
    except ServiceUnreachable as exc:
        err.print(f"error: {exc.service} is unreachable at {exc.url} ({exc.reason})")
        raise typer.Exit(EXIT_UNREACHABLE) from None


async def _check_postgres(clients: Clients) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        async with clients.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (DBAPIError, OSError) as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig or exc).strip().splitlines()[0] if (orig or str(exc)) else "failed"
        raise ServiceUnreachable(
            "PostgreSQL", redact(clients.settings.database_url), reason
        ) from exc


async def _check_opensearch(clients: Clients) -> None:
    from search_api.search.index import CareerIndex, IndexUnavailable

    probe = CareerIndex(clients.opensearch, clients.settings.opensearch_alias, 5.0)
    try:
        await probe.cluster_status()
    except IndexUnavailable as exc:
        raise ServiceUnreachable(
            "OpenSearch",
            clients.settings.opensearch_url,
            f"{exc.message.split(': ', 1)[-1]}: connection refused or timed out",
        ) from exc


@asynccontextmanager
async def connected(settings: Settings, *, opensearch: bool = True) -> AsyncIterator[Clients]:
    """The same client builders as the API, with the indexer's longer OpenSearch deadline."""
    from search_api.core.clients import open_clients

    async with open_clients(settings, opensearch_timeout=settings.indexer_timeout_seconds) as c:
        await _check_postgres(c)
        if opensearch:
            await _check_opensearch(c)
        yield c


def progress_bar() -> Progress:
    """The bar of long commands: what, how far (done/total), how long so far."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
    )


def career_index(clients: Clients) -> CareerIndex:
    from search_api.search.index import CareerIndex

    settings = clients.settings
    return CareerIndex(
        clients.opensearch, settings.opensearch_alias, settings.indexer_timeout_seconds
    )


def cached_embedder(clients: Clients) -> CachedEmbedder:
    from indexer.embedding_cache import CachedEmbedder

    return CachedEmbedder(clients.sessionmaker, clients.embedder)


@app.callback()
def main() -> None:
    """Career Compass admin CLI."""


@app.command()
def load(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue folder with careers/, exams/ and institutions/ "
            "(default: CC_DATA_DIR, which is data/).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Validate and report what would change; write nothing."),
    ] = False,
) -> None:
    """Validate the catalogue and load it into PostgreSQL in one transaction.

    Every problem is reported with its file, record id and field; if there is any, nothing is
    written and the exit code is 1. Otherwise careers are upserted, careers missing from the
    files are removed, and each change is queued for the search index (the outbox).
    """
    from indexer.loader import LoadReport, load_catalogue
    from search_api.careers.files import CatalogueInvalid

    settings = get_settings()
    root = path or Path(settings.data_dir)

    async def go() -> LoadReport:
        async with connected(settings, opensearch=False) as clients:
            return await load_catalogue(clients.sessionmaker, root, dry_run=dry_run)

    try:
        report = run(go())
    except CatalogueInvalid as exc:
        for problem in exc.problems:
            err.print(f"{problem}")
        err.print(f"error: {len(exc.problems)} problem(s) in {root}; nothing was written")
        raise typer.Exit(EXIT_INVALID) from None
    prefix = "dry run, nothing written: " if dry_run else ""
    out.print(
        f"{prefix}careers added {report.added}, changed {report.changed}, "
        f"removed {report.removed}, unchanged {report.unchanged} "
        f"({report.exams} exams, {report.institutions} institutions)"
    )


@app.command()
def reindex(
    batch_size: Annotated[
        int, typer.Option(min=1, max=5000, help="Careers per embedding and bulk batch.")
    ] = 256,
    keep: Annotated[
        int, typer.Option(min=1, help="How many versioned indices to keep, the live one included.")
    ] = 2,
    if_missing: Annotated[
        bool,
        typer.Option("--if-missing", help="Do nothing when the alias already points at an index."),
    ] = False,
) -> None:
    """Rebuild the search index from PostgreSQL and switch to it with no downtime.

    Creates `careers_v<UTC timestamp>`, loads every career with its embedding (cached vectors
    are reused), verifies the document count against PostgreSQL, then moves the `careers`
    alias in one atomic call and deletes older indices beyond `--keep`. On any failure the
    alias stays where it was, the new index is deleted and the exit code is 1.
    """
    settings = get_settings()
    result = _reindex_or_exit(settings, batch_size=batch_size, keep=keep, if_missing=if_missing)
    _print_reindex(settings, result)


def _reindex_or_exit(
    settings: Settings, *, batch_size: int = 256, keep: int = 2, if_missing: bool = False
) -> ReindexResult | str:
    """Reindex with a progress bar; a failure is one line and exit code 1, alias unchanged."""
    from indexer.reindex import ReindexFailed
    from indexer.reindex import reindex as run_reindex
    from search_api.search.mapping import index_body_for

    alias = settings.opensearch_alias

    async def go() -> ReindexResult | str:
        async with connected(settings) as clients:
            index = career_index(clients)
            if if_missing and (target := await index.alias_target()):
                return target
            embedder = cached_embedder(clients)
            await clients.embedder.aload()  # outside the timed part: loading is not indexing
            with progress_bar() as bar:
                task = bar.add_task("indexing careers", total=None)
                return await run_reindex(
                    clients.sessionmaker,
                    index,
                    embedder,
                    index_body_for(settings),
                    batch_size=batch_size,
                    keep=keep,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )

    try:
        return run(go())
    except ReindexFailed as exc:
        err.print(f"error: reindex failed, alias {alias} unchanged: {exc}")
        raise typer.Exit(EXIT_INVALID) from None


def _print_reindex(settings: Settings, result: ReindexResult | str) -> None:
    alias = settings.opensearch_alias
    if isinstance(result, str):
        out.print(f"alias {alias} -> {result}: already built, nothing to do")
        return
    out.print(
        f"alias {alias} -> {result.index} (was {result.previous or 'none'}): "
        f"{result.documents} docs in {result.seconds:.1f} s ({result.docs_per_second:.0f} docs/s); "
        f"vectors computed {result.vectors_computed}, cached {result.vectors_cached}; "
        f"replayed {result.replayed} outbox event(s); "
        f"deleted {len(result.deleted_indices)} old index(es)"
    )


@app.command("adapt-model")
def adapt_model(
    out_dir: Annotated[
        Path,
        typer.Argument(help="Folder to write the adapted model to (created; files replaced)."),
    ],
    per_career: Annotated[
        int, typer.Option(min=1, help="At most this many of a career's titles to learn.")
    ] = 20,
    sentences: Annotated[
        int,
        typer.Option(min=0, help="Also learn this many of its other description sentences."),
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seeds the pairs, the batches and torch.")] = 7,
) -> None:
    """Train a copy of the bundled embedding model on the catalogue's own job titles.

    For a large catalogue whose careers have many alternative titles (an occupation taxonomy
    of thousands): the bundled model does not know that a "venipuncturist" is a phlebotomist,
    but the catalogue's aliases say so. Reads every career from PostgreSQL, trains on
    (alias or Hinglish spelling, name + first description sentence) pairs on the CPU (about
    1.5 min for 335 careers, 12 min for 2,244 on 2 cores), and writes a model folder that
    records its own name and fusion weight. One title each of up to 200 careers is kept out of
    training and searched before and after (dense leg alone), which says whether it helped on
    this catalogue. Nothing is downloaded. Use it with:

        CC_EMBEDDING_MODEL_PATH=<folder> careers-admin reindex   (and the API the same)

    On our own 335 careers it changed little; the figures are in
    tests/relevance/scale/README.md.
    """
    from indexer.adapt import Recipe, adapt
    from search_api.careers.repository import CatalogueRepository

    settings = get_settings()

    async def rows() -> list[Any]:
        async with connected(settings, opensearch=False) as clients:
            async with clients.sessionmaker() as session:
                return await CatalogueRepository(session).document_rows()

    careers = run(rows())
    if not careers:
        err.print("error: the catalogue is empty: load it first (careers-admin load)")
        raise typer.Exit(EXIT_INVALID)
    recipe = Recipe(per_career=per_career, sentences=sentences, seed=seed)
    with progress_bar() as bar:
        task = bar.add_task(f"training on {len(careers)} careers", total=None)
        try:
            result = adapt(
                careers,
                out_dir,
                recipe,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
        except ValueError as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(EXIT_INVALID) from None
    out.print(
        f"model {result.name} written to {result.path}: {result.pairs} pairs from "
        f"{result.careers} careers, {result.steps} steps in {result.seconds:.0f} s\n"
        f"{result.held_out} held-out titles, dense leg hit@5: bundled {result.before:.3f}, "
        f"adapted {result.after:.3f}"
    )
    if result.better:
        out.print(
            f"use it: CC_EMBEDDING_MODEL_PATH={result.path} careers-admin reindex, and the same "
            "CC_EMBEDDING_MODEL_PATH for the API"
        )
    else:
        out.print("not better than the bundled model on this catalogue: keep the bundled one")


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


@app.command()
def sync(
    follow: Annotated[
        bool,
        typer.Option(
            "--follow",
            help="Keep running and apply new events as they arrive (the sync worker). "
            "SIGTERM or Ctrl-C stops it after the current batch.",
        ),
    ] = False,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Without --follow: give up after this many failed tries.")
    ] = 5,
) -> None:
    """Apply pending catalogue changes (the outbox) to the live index.

    An event is marked applied only after OpenSearch acknowledged it; failures are retried
    with exponential backoff. Exit code 2 if OpenSearch stays unreachable.
    """
    from indexer.sync import RETRYABLE, SyncReport, run_sync
    from search_api.careers.repository import CatalogueRepository

    settings = get_settings()

    def report(batch: SyncReport) -> None:
        out.print(f"applied {batch.applied}, failed {batch.failed}")

    def heartbeat() -> None:
        if settings.sync_heartbeat_file:
            Path(settings.sync_heartbeat_file).touch()

    async def pending(clients: Clients) -> int:
        async with clients.sessionmaker() as session:
            count, _ = await CatalogueRepository(session).pending_summary()
        return count

    async def go() -> tuple[SyncReport | None, int, str]:
        async with connected(settings) as clients:
            stop = asyncio.Event()
            _on_signals(stop)
            if follow:
                await clients.embedder.aload()
                out.print(f"sync worker: following the outbox of {settings.opensearch_alias}")
            try:
                total = await run_sync(
                    clients.sessionmaker,
                    career_index(clients),
                    cached_embedder(clients),
                    follow=follow,
                    max_attempts=max_attempts,
                    poll_seconds=settings.sync_poll_seconds,
                    stop=stop,
                    on_batch=report,
                    heartbeat=heartbeat,
                    redis=clients.redis,
                )
            except RETRYABLE as exc:
                return None, await pending(clients), str(exc)[:160]
            return total, await pending(clients), ""

    total, left, problem = run(go())
    if total is None:
        err.print(
            f"error: OpenSearch is unreachable at {settings.opensearch_url} ({problem}); "
            f"{left} event(s) left pending"
        )
        raise typer.Exit(EXIT_UNREACHABLE)
    out.print(f"sync: applied {total.applied}, failed {total.failed}, pending {left}")
    if total.failed:
        for error in total.errors[:5]:
            err.print(f"error: {error}")
        raise typer.Exit(EXIT_INVALID)


@app.command()
def status() -> None:
    """Show where the alias points, document counts, pending outbox events and the last reindex."""
    from datetime import UTC, datetime

    from indexer.repository import IndexerRepository
    from search_api.careers.repository import CatalogueRepository

    settings = get_settings()
    alias = settings.opensearch_alias

    async def go() -> list[str]:
        async with connected(settings) as clients:
            async with clients.sessionmaker() as session:
                catalogue = CatalogueRepository(session)
                careers = await catalogue.count()
                pending, oldest = await catalogue.pending_summary()
                indexer = IndexerRepository(session)
                last = await indexer.last_succeeded()
                running = await indexer.running()
                succeeded = await indexer.succeeded_indices()
                # Free lock: nobody is building, so a 'running' row is a dead process's.
                # (Taken for this transaction only: closing the session releases it.)
                lock_free = await indexer.try_reindex_lock(alias) if running else True
            index = career_index(clients)
            target = await index.alias_target()
            docs = await index.count(target) if target else 0
            indices = await index.versioned_indices()
            complete = await index.complete_indices() | succeeded
        now = datetime.now(UTC)
        age = f"{(now - oldest).total_seconds():.0f} s" if oldest else "-"
        in_step = "in step" if target and docs == careers else "OUT OF STEP"
        last_line = (
            f"{last.finished_at:%Y-%m-%d %H:%M:%S %Z} ({last.index_name}, {last.documents} docs)"
            if last and last.finished_at
            else "never"
        )

        def tagged(name: str) -> str:
            if name == target:
                return f"{name} (live)"
            return f"{name} ({'complete' if name in complete else 'partial'})"

        lines = [
            f"alias          {alias} -> {target or 'missing'}",
            f"documents      {docs} in the index, {careers} careers in PostgreSQL ({in_step})",
            f"outbox         {pending} pending, oldest {age}",
            f"last reindex   {last_line}",
        ]
        for run_row in running:
            since = f"{run_row.started_at:%Y-%m-%d %H:%M:%S %Z}"
            if lock_free:
                lines.append(
                    f"reindex run    {run_row.id} ABANDONED: started {since}, its process is "
                    f"gone; the next reindex deletes {run_row.index_name}"
                )
            else:
                lines.append(f"reindex run    {run_row.id} running since {since}")
        lines.append(f"indices        {', '.join(map(tagged, indices)) or '-'}")
        return lines

    for line in run(go()):
        out.print(line)


@app.command()
def backup(
    path: Annotated[
        Path, typer.Argument(help="The archive to write, e.g. careers-2026-01-31.dump.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite PATH if it already exists.")
    ] = False,
) -> None:
    """Back up the PostgreSQL database (CC_DATABASE_URL) to PATH with pg_dump -Fc.

    The whole database: catalogue, accounts, profiles, analytics, the outbox and the embedding
    cache. The index is not backed up: `restore` rebuilds it. The pg_dump matching the
    server's major version is used (/usr/lib/postgresql/<major>/bin first, then PATH;
    CC_POSTGRES_BIN_DIR overrides). A failed dump leaves no file behind. Exit code 1 for a
    problem with PATH or the dump, 2 if PostgreSQL is unreachable.
    """
    from indexer.backup import BackupError
    from indexer.backup import backup as run_backup

    settings = get_settings()
    out.print(f"backup: dumping {redact(settings.database_url)} to {path}")
    try:
        result = run_backup(
            settings.database_url, path, force=force, bin_dir=settings.postgres_bin_dir
        )
    except BackupError as exc:
        err.print(f"error: {exc}")
        code = EXIT_UNREACHABLE if "unreachable" in str(exc) else EXIT_INVALID
        raise typer.Exit(code) from None
    careers = "no careers table" if result.careers is None else f"{result.careers} careers"
    out.print(
        f"backup: wrote {result.path} ({result.bytes / 1024:.0f} KiB, {careers}) from "
        f"PostgreSQL {result.server_version} with {result.tool}"
    )


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="An archive written by careers-admin backup.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Restore into a database that already has tables, replacing the objects "
            "the archive holds (pg_restore --clean).",
        ),
    ] = False,
    reindex_after: Annotated[
        bool,
        typer.Option(
            "--reindex/--no-reindex",
            help="Rebuild the search index behind CC_OPENSEARCH_ALIAS from the restored data.",
        ),
    ] = True,
) -> None:
    """Restore PATH into the database of CC_DATABASE_URL, then rebuild the search index.

    The database must be empty (create it with `createdb`), unless --force. The restore runs
    in one transaction: on an error nothing is restored. Afterwards the index is rebuilt as
    `reindex` does (the embedding cache comes with the backup, so nothing is re-encoded) and
    its document count is checked against the restored careers. Exit code 1 for a missing
    or wrong file, a non-empty database or a failed restore; 2 if a service is unreachable.
    """
    from indexer.backup import BackupError
    from indexer.backup import restore as run_restore

    settings = get_settings()
    out.print(f"restore: {path} into {redact(settings.database_url)}")
    try:
        result = run_restore(
            settings.database_url, path, force=force, bin_dir=settings.postgres_bin_dir
        )
    except BackupError as exc:
        err.print(f"error: {exc}")
        code = EXIT_UNREACHABLE if "unreachable" in str(exc) else EXIT_INVALID
        raise typer.Exit(code) from None
    out.print(
        f"restore: {result.careers} careers restored ({result.archive.entries} archive "
        f"entries, dumped from PostgreSQL {result.archive.dumped_from}, database "
        f"{result.archive.database}) with {result.tool}"
    )
    if not reindex_after:
        out.print("restore: index not rebuilt (--no-reindex); run careers-admin reindex")
        return
    reindexed = _reindex_or_exit(settings)
    _print_reindex(settings, reindexed)
    if not isinstance(reindexed, str) and reindexed.documents != result.careers:
        err.print(
            f"error: the index holds {reindexed.documents} documents, the restored "
            f"database {result.careers} careers"
        )
        raise typer.Exit(EXIT_INVALID)


def _account_kit(clients: Clients) -> Any:
    from search_api.users.authenticator import Revocations
    from search_api.users.service import AccountKit

    settings = clients.settings
    return AccountKit.build(
        settings,
        clients.sessionmaker,
        Revocations(clients.redis, settings.access_token_minutes * 60),
    )


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Argument(help="The admin's email (the sign-in name).")],
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "Administrator",
    promote: Annotated[
        bool,
        typer.Option("--promote", help="Make an existing account an admin; no new password."),
    ] = False,
) -> None:
    """Create the first (or another) admin account, or promote an existing one.

    Prompts for the password twice without echoing it; it must pass the same rules as
    sign-up. No admin account exists until this is run: there is no default admin.
    The change is written to the audit log (actor `cli`).
    """
    from search_api.core.audit import AuditEntry, AuditRepository
    from search_api.core.errors import AppError
    from search_api.users.passwords import password_problems
    from search_api.users.schemas import EMAIL
    from search_api.users.service import AccountService

    if not EMAIL.match(email.strip()):
        err.print(f"error: {email!r} is not an email address")
        raise typer.Exit(EXIT_INVALID)
    password: str | None = None
    if not promote:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        problems = password_problems(password, email, name)
        if problems:
            err.print(f"error: the password is too weak: {'; '.join(problems)}")
            raise typer.Exit(EXIT_INVALID)
    settings = get_settings()

    async def go() -> tuple[str, bool]:
        async with connected(settings, opensearch=False) as clients:
            kit = _account_kit(clients)
            async with clients.sessionmaker() as session, session.begin():
                user, previous = await AccountService(session, kit).create_or_promote_admin(
                    email, password, name
                )
                await AuditRepository(session).add(
                    AuditEntry(
                        actor_kind="cli",
                        actor_id=None,
                        action="user.promote_admin" if previous else "user.create_admin",
                        target_type="user",
                        target_id=str(user.id),
                        before={"role": previous} if previous else None,
                        after={"role": "admin"},
                    )
                )
                return str(user.id), previous is None

    try:
        user_id, created = run(go())
    except AppError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(EXIT_INVALID) from None
    verb = "created admin" if created else "promoted to admin"
    out.print(f"{verb} {user_id}; sign in at POST /api/v1/auth/token")


@app.command()
def reencrypt() -> None:
    """After a key rotation: re-encrypt every account and profile still under an older key.

    Put the new key first in CC_ENCRYPTION_KEYS (keep the old ones after it), run this, and
    once it reports 0 the old keys can be removed.
    """
    from search_api.users.service import AccountService

    settings = get_settings()

    async def go() -> int:
        async with connected(settings, opensearch=False) as clients:
            kit = _account_kit(clients)
            async with clients.sessionmaker() as session, session.begin():
                return await AccountService(session, kit).reencrypt()

    moved = run(go())
    out.print(f"re-encrypted {moved} row(s) under key {settings.encryption_keys.split(':')[0]}")


if __name__ == "__main__":
    app()
