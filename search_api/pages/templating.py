"""The Jinja2 environment and the static assets (served from memory, gzipped once)."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

from search_api.pages.view import lakh_range, safe_highlight, snippet
from search_api.profiles.scoring import lakh

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    name: str
    body: bytes
    gzipped: bytes
    media_type: str
    version: str  # content hash: URLs carry it, so a changed file is never served stale


@lru_cache(maxsize=1)
def assets() -> dict[str, Asset]:
    out = {}
    for path in sorted(STATIC_DIR.iterdir()):
        media_type = MEDIA_TYPES.get(path.suffix)
        if media_type is None or not path.is_file():
            continue
        body = path.read_bytes()
        out[path.name] = Asset(
            path.name,
            body,
            gzip.compress(body, compresslevel=9, mtime=0),
            media_type,
            hashlib.sha256(body).hexdigest()[:12],
        )
    return out


def static_url(name: str) -> str:
    return f"/static/{name}?v={assets()[name].version}"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static=static_url, lakh_range=lakh_range, lakh=lakh)
    env.filters.update(highlight=safe_highlight, snippet=snippet)
    return env


templates = Jinja2Templates(env=make_environment())
