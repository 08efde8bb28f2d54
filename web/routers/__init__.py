"""One router per area (FastAPI's "bigger applications" layout)."""
