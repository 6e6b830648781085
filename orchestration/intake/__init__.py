"""Intake: raw/ → inventory → parsed reports (cached by content, parsed in worker processes) → outcomes.

No Dagster here. `inventory` lists and vets raw/, `parse_cache` keeps parsed reports per sha256,
`outcomes` records each file's result (facts, or a status and reason), `workers` runs the parse pool.
"""
