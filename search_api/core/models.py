"""Imports every table module so Base.metadata is complete (for Alembic and test setup)."""

from indexer import models as indexer_models
from search_api.careers import models as careers_models
from search_api.core.db import Base
from search_api.users import models as users_models

__all__ = ["Base", "careers_models", "indexer_models", "users_models"]
