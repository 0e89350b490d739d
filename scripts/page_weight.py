"""Print the JavaScript and CSS weight of the first explore page, gzipped as served.

    .venv/bin/python scripts/page_weight.py                 # in-process app, default settings
    .venv/bin/python scripts/page_weight.py --url http://127.0.0.1:8000

The budget is 100 KB for JS and CSS together; exits 1 above it. The browser suite checks
the same budget from Chromium's own transfer sizes (tests/browser/test_quality.py).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys

import httpx

BUDGET = 100 * 1024
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


async def measure(client: httpx.AsyncClient) -> list[tuple[str, int, int]]:
    page = await client.get("/")
    page.raise_for_status()
    rows = []
    for url in ASSET.findall(page.text):
        # ask for gzip and read the raw bytes: what actually crosses the wire
        async with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
            response.raise_for_status()
            wire = b"".join([chunk async for chunk in response.aiter_raw()])
            body = await client.get(url, headers={"Accept-Encoding": "identity"})
        rows.append((url.split("?")[0], len(wire), len(body.content)))
    return rows


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; default: the app in-process")
    args = parser.parse_args()
    if args.url:
        async with httpx.AsyncClient(base_url=args.url, timeout=30) as client:
            rows = await measure(client)
    else:
        from search_api.main import create_app

        app = create_app()
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
                rows = await measure(client)
    for name, wire, size in rows:
        print(f"{name:24} {wire:7,} B gzipped  {size:7,} B")
    total = sum(wire for _, wire, _ in rows)
    print(f"{'total JS + CSS':24} {total:7,} B gzipped  (budget {BUDGET:,} B)")
    return 0 if total < BUDGET else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
