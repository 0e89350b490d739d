"""The career counsellor chat agent and dated career plans, grounded in the catalogue."""
