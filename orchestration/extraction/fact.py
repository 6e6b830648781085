"""The fact contract (FACTS.md): one number a report states about one entity for one year."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..paths import DBT_PROJECT_DIR

# Facts below this confidence stay out of the marts and wait in data_quality_issues as
# needs_review until a steward accepts them (overrides/fact_overrides.csv). dbt applies it.
CONFIDENCE_THRESHOLD: float = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["min_confidence"]


@dataclass
class Fact:
    source_file: str
    sha256: str
    page: int
    entity: str
    entity_level: str
    admin_code: str
    period_year: int
    indicator: str
    value: float
    unit: str
    snippet: str
    method: str  # prose | table
    rule: str
    approximate: bool = False
    printed: str = ""
    confidence: float = 1.0
    confidence_reason: str = ""
