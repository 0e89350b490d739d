"""The outbox sync loop as a background thread of the API process (CC_SYNC_IN_API=true)."""

from __future__ import annotations

import logging
import threading

from indexer.embedding_cache import CachedEmbedder
from indexer.sync import run_sync
from search_api.core.db import make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_client
from search_api.core.settings import Settings

log = logging.getLogger("indexer.background")


class BackgroundSync:
    """Owns its own sync engine and client; stop() ends the loop and closes them."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        engine = make_sync_engine(self.settings.database_url)
        client = make_client(self.settings.opensearch_url)
        try:
            while not self._stop.is_set():
                try:
                    run_sync(
                        engine,
                        client,
                        CachedEmbedder(engine, self.embedder),
                        self.settings.opensearch_alias,
                        follow=True,
                        poll_seconds=self.settings.sync_poll_seconds,
                        stop=self._stop,
                    )
                except Exception:
                    # Postgres down, or anything unexpected: keep the API up and try again.
                    log.exception("outbox sync failed; restarting in 5 s")
                    self._stop.wait(5)
        finally:
            client.close()
            engine.dispose()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
