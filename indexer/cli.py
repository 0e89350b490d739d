"""careers-admin: keep PostgreSQL and the OpenSearch index in step with the catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from indexer.loader import load_catalogue
from search_api.careers.catalogue import CatalogueInvalid
from search_api.core.settings import get_settings

if TYPE_CHECKING:
    from opensearchpy import OpenSearch
    from sqlalchemy import Engine

    from indexer.embedding_cache import CachedEmbedder

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


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a dead dependency into one line and exit code 2."""
    try:
        yield
    except ServiceUnreachable as exc:
        err.print(f"error: {exc.service} is unreachable at {exc.url} ({exc.reason})")
        raise typer.Exit(EXIT_UNREACHABLE) from None


def postgres_engine() -> Engine:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from search_api.core.db import make_sync_engine

    settings = get_settings()
    engine = make_sync_engine(settings.database_url, timeout_seconds=3)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise ServiceUnreachable("PostgreSQL", redact(settings.database_url), reason) from exc
    return engine


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
    path = path or Path(get_settings().data_dir)
    with service_errors():
        engine = postgres_engine()
        try:
            report = load_catalogue(engine, path, dry_run=dry_run)
        except CatalogueInvalid as exc:
            for problem in exc.problems:
                err.print(f"{problem}")
            err.print(f"error: {len(exc.problems)} problem(s) in {path}; nothing was written")
            raise typer.Exit(EXIT_INVALID) from None
        finally:
            engine.dispose()
    prefix = "dry run, nothing written: " if dry_run else ""
    out.print(
        f"{prefix}careers added {report.added}, changed {report.changed}, "
        f"removed {report.removed}, unchanged {report.unchanged} "
        f"({report.exams} exams, {report.institutions} institutions)"
    )


def opensearch_client() -> OpenSearch:
    from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
    from opensearchpy.exceptions import ConnectionTimeout

    from search_api.core.opensearch import make_client

    settings = get_settings()
    client = make_client(settings.opensearch_url, timeout_seconds=60)
    try:
        client.cluster.health(timeout="3s", request_timeout=5)
    except (OpenSearchConnectionError, ConnectionTimeout) as exc:
        client.close()
        reason = type(exc.info).__name__ if getattr(exc, "info", None) else "connection failed"
        raise ServiceUnreachable(
            "OpenSearch", settings.opensearch_url, f"{reason}: connection refused or timed out"
        ) from exc
    return client


def cached_embedder(engine: Engine) -> CachedEmbedder:
    from indexer.embedding_cache import CachedEmbedder
    from search_api.core.embeddings import Embedder

    settings = get_settings()
    model = Embedder(
        settings.embedding_model_path, settings.embedding_model_name, settings.embedding_dimensions
    )
    return CachedEmbedder(engine, model)


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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from indexer.reindex import ReindexFailed, alias_target
    from indexer.reindex import reindex as run_reindex

    settings = get_settings()
    with service_errors():
        engine = postgres_engine()
        client = opensearch_client()
    try:
        if if_missing and (target := alias_target(client, settings.opensearch_alias)):
            out.print(
                f"alias {settings.opensearch_alias} -> {target}: already built, nothing to do"
            )
            return
        embedder = cached_embedder(engine)
        embedder.embedder.load()  # outside the timed part: model loading is not indexing
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=out,
            transient=False,
        ) as bar:
            task = bar.add_task("indexing careers", total=None)
            result = run_reindex(
                engine,
                client,
                embedder,
                settings.opensearch_alias,
                batch_size=batch_size,
                keep=keep,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                shards=settings.opensearch_shards,
                replicas=settings.opensearch_replicas,
            )
    except ReindexFailed as exc:
        err.print(f"error: reindex failed, alias {settings.opensearch_alias} unchanged: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    finally:
        client.close()
        engine.dispose()
    out.print(
        f"alias {settings.opensearch_alias} -> {result.index} (was {result.previous or 'none'}): "
        f"{result.documents} docs in {result.seconds:.1f} s ({result.docs_per_second:.0f} docs/s); "
        f"vectors computed {result.vectors_computed}, cached {result.vectors_cached}; "
        f"replayed {result.replayed} outbox event(s); "
        f"deleted {len(result.deleted_indices)} old index(es)"
    )


@app.command()
def sync(
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep running and apply new events as they arrive.")
    ] = False,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Without --follow: give up after this many failed tries.")
    ] = 5,
) -> None:
    """Apply pending catalogue changes (the outbox) to the live index.

    An event is marked applied only after OpenSearch acknowledged it; failures are retried
    with exponential backoff. Exit code 2 if OpenSearch stays unreachable.
    """
    import threading

    from indexer.sync import IndexUnavailable, SyncReport, pending_count, run_sync

    settings = get_settings()
    with service_errors():
        engine = postgres_engine()
        client = opensearch_client()
    embedder = cached_embedder(engine)
    stop = threading.Event()

    def report(batch: SyncReport) -> None:
        out.print(f"applied {batch.applied}, failed {batch.failed}")

    try:
        total = run_sync(
            engine,
            client,
            embedder,
            settings.opensearch_alias,
            follow=follow,
            max_attempts=max_attempts,
            stop=stop,
            on_batch=report,
        )
    except IndexUnavailable as exc:
        pending, _ = pending_count(engine)
        err.print(
            f"error: OpenSearch is unreachable at {settings.opensearch_url} ({str(exc)[:120]}); "
            f"{pending} event(s) left pending"
        )
        raise typer.Exit(EXIT_UNREACHABLE) from None
    except KeyboardInterrupt:
        stop.set()
        return
    finally:
        client.close()
        engine.dispose()
    pending, _ = pending_count(engine)
    out.print(f"sync: applied {total.applied}, failed {total.failed}, pending {pending}")
    if total.failed:
        for error in total.errors[:5]:
            err.print(f"error: {error}")
        raise typer.Exit(EXIT_INVALID)


@app.command()
def status() -> None:
    """Show where the alias points, document counts, pending outbox events and the last reindex."""
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from indexer.models import ReindexRun
    from indexer.reindex import alias_target, versioned_indices
    from indexer.sync import pending_count
    from search_api.careers.models import Career

    settings = get_settings()
    with service_errors():
        engine = postgres_engine()
        client = opensearch_client()
    try:
        with engine.connect() as conn:
            careers = int(conn.execute(select(func.count()).select_from(Career)).scalar_one())
            last = conn.execute(
                select(ReindexRun.index_name, ReindexRun.finished_at, ReindexRun.documents)
                .where(ReindexRun.status == "succeeded")
                .order_by(ReindexRun.id.desc())
                .limit(1)
            ).first()
        pending, oldest = pending_count(engine)
        alias = settings.opensearch_alias
        target = alias_target(client, alias)
        docs = int(client.count(index=target)["count"]) if target else 0
        indices = versioned_indices(client, alias)
    finally:
        client.close()
        engine.dispose()
    now = datetime.now(UTC)
    age = f"{(now - oldest).total_seconds():.0f} s" if oldest else "-"
    in_step = "in step" if target and docs == careers else "OUT OF STEP"
    out.print(f"alias          {alias} -> {target or 'missing'}")
    out.print(f"documents      {docs} in the index, {careers} careers in PostgreSQL ({in_step})")
    out.print(f"outbox         {pending} pending, oldest {age}")
    out.print(
        "last reindex   "
        + (
            f"{last.finished_at:%Y-%m-%d %H:%M:%S %Z} ({last.index_name}, {last.documents} docs)"
            if last
            else "never"
        )
    )
    out.print(f"indices        {', '.join(indices) or '-'}")


if __name__ == "__main__":
    app()
