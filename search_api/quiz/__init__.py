"""The interest quiz: our own RIASEC items, a pure scoring function and its endpoints."""
