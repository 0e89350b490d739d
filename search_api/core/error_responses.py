"""OpenAPI says what the app enforces beyond each route's own declarations.

- Credentials are optional wherever no access check runs: those operations list the empty
  security requirement `{}` next to the bearer and API-key schemes (clients and fuzzers
  otherwise read every route as signed-in only).
- No string may hold a NUL character (core/nul_characters.py): string schemas without a
  pattern, enum or format get `^[^\u0000]*$`.
- The error answers every operation can give, each an ErrorEnvelope:

Some errors come from the app, not the route: a credential that is sent must be valid (401
everywhere), every route is rate-limited (429), bodies are limited in size (413) and must be
JSON (400), and parameters and bodies are validated (422). Declaring them per route would be
repeated everywhere and forgotten on the next route, so they are added here to whatever
the route declares itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from search_api.core.auth_first import access_checks
from search_api.core.envelope import ErrorEnvelope

REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
DESCRIPTIONS = {
    "400": "Malformed JSON body (MALFORMED_JSON)",
    "401": "A credential was sent and is invalid, expired or revoked (UNAUTHORIZED)",
    "413": "Request body over the size limit (PAYLOAD_TOO_LARGE)",
    "422": "Invalid parameters or body; one detail per problem, at most 20 (VALIDATION_ERROR)",
    "429": "Rate limit exceeded; see Retry-After (RATE_LIMIT_EXCEEDED)",
}
BODY_METHODS = {"post", "put", "patch"}
NO_NUL_PATTERN = "^[^\\u0000]*$"


def codes_for(method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "429"]
    if operation.get("parameters") or "requestBody" in operation:
        codes.append("422")
    if "requestBody" in operation and method in BODY_METHODS:
        codes += ["400", "413"]
    return codes


def forbid_nul(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(node):
            node["pattern"] = NO_NUL_PATTERN
        for value in node.values():
            forbid_nul(value)
    elif isinstance(node, list):
        for value in node:
            forbid_nul(value)


def open_operations(app: FastAPI) -> set[tuple[str, str]]:
    """(path, method) of the operations anyone may call: no access check among their
    dependencies."""
    return {
        (str(context.path_format), method.lower())
        for context in iter_route_contexts(app.routes)
        if isinstance(route := context.original_route, APIRoute)
        and not any(access_checks(route.dependant))
        for method in context.methods or ()
    }


def add_error_responses(schema: dict[str, Any], open_ops: set[tuple[str, str]]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorEnvelope" not in components:
        components.update(
            ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}").pop(
                "$defs", {}
            )
        )
        components["ErrorEnvelope"] = ErrorEnvelope.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components["ErrorEnvelope"].pop("$defs", None)
    forbid_nul(schema.get("paths", {}))
    forbid_nul(components)
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            security = operation.get("security")
            if security and (path, method) in open_ops and {} not in security:
                operation["security"] = [{}, *security]
            responses = operation["responses"]
            for code in codes_for(method, operation):
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": REF}},
                    },
                )
    return schema


def declare_error_responses(app: FastAPI) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_responses(generate(), open_operations(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
