"""dtbd's domain: rule packs, datasets, evaluation as of a date, audit and planning (engine.workspace is its facade)."""
