"""How deep a page may go: page x size stays inside OpenSearch's result window.

OpenSearch refuses `from + size` past `index.max_result_window` (10,000 by default); asked
for it anyway the search was a 500 (and uvicorn dropped the connection). The catalogue
browse (PostgreSQL) keeps the same bound, so one rule holds for every paged list.
"""

from __future__ import annotations

from search_api.core.errors import ValidationFailed

RESULT_WINDOW = 10_000
# Enough for any page inside the window at the smallest size; a bound so that a page number
# of twenty digits is a 422, not an integer overflow in PostgreSQL.
MAX_PAGE = RESULT_WINDOW
WINDOW_RULE = f"page x size must not exceed {RESULT_WINDOW:,} (the deepest result reachable)"


def require_within_window(page: int, size: int) -> None:
    if page * size > RESULT_WINDOW:
        message = f"page x size = {page * size:,}; {WINDOW_RULE}"
        raise ValidationFailed.many([("page", "query", message), ("size", "query", message)])
