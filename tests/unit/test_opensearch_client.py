"""The API's async OpenSearch client closes every node's connection, a dead one too."""

from __future__ import annotations

from typing import Any

from search_api.core.opensearch import make_async_client

THREE_NODES = "http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203"


async def open_sessions(client: Any) -> list[Any]:
    await client.transport._async_call()  # the pool of connections a first request builds
    connections = client.transport.connection_pool.orig_connections
    for connection in connections:
        await connection._create_aiohttp_session()  # what its first request would do
    return [c.session for c in connections]


async def test_close_closes_a_connection_marked_dead() -> None:
    client: Any = make_async_client(THREE_NODES, 5.0)
    sessions = await open_sessions(client)
    pool = client.transport.connection_pool
    pool.mark_dead(pool.orig_connections[1])  # what a killed node's failed request does
    assert len(pool.connections) == 2
    await client.close()
    assert [s.closed for s in sessions] == [True, True, True]


async def test_close_of_a_one_node_client() -> None:
    client: Any = make_async_client("http://127.0.0.1:9200", 5.0)
    await client.transport._async_call()
    connection = client.transport.connection_pool.connection
    await connection._create_aiohttp_session()
    session = connection.session
    await client.close()
    assert session.closed
