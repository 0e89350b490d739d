"""How deep a page may go: page x size stays inside OpenSearch's result window.

OpenSearch refuses `from + size` past `index.max_result_window` (10,000 by default); asked
for it anyway the search was a 500 (and uvicorn dropped the connection), and a page number of
twenty digits overflowed PostgreSQL's OFFSET. Each paged list bounds `page` so that the
largest page at the largest size still ends inside the window: the rule is in the schema
(OpenAPI `maximum`), so whatever the schema accepts, the API answers. Any result inside the
window is reachable: ask for larger pages.
"""

from __future__ import annotations

RESULT_WINDOW = 10_000


def max_page(max_size: int) -> int:
    return RESULT_WINDOW // max_size


def page_description(max_size: int) -> str:
    return (
        f"1 to {max_page(max_size)}: page x size stays within the first {RESULT_WINDOW:,} "
        "results (use a larger size to go deeper)"
    )
