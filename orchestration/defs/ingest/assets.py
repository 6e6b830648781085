"""Ingest: raw/ inventory → parsed reports → facts loaded into the build database."""


from collections import Counter

import dagster as dg

from ...paths import build_db_path, parse_cache_dir, raw_dir
from ...warehouse.fingerprint import INPUTS_METADATA_KEY, inputs_fingerprint
from ...warehouse.ingest import DocumentResult, FileRecord, inventory, process_all
from ...warehouse.overrides import load_overrides, overrides_path
from ...warehouse.store import frames, load_raw

GROUP = "ingest"


@dg.asset(group_name=GROUP, description="Inventory of raw/ (报告文件): path, sha256, size, kind and status per file.")
def report_files(context: dg.AssetExecutionContext) -> list[FileRecord]:
    fingerprint = inputs_fingerprint()  # before reading, so a file changed meanwhile means a rebuild
    records = inventory(raw_dir())
    statuses = Counter(r.status for r in records)
    context.add_output_metadata({
        INPUTS_METADATA_KEY: fingerprint,
        "raw_dir": str(raw_dir()),
        "files": len(records),
        "by_status": dg.MetadataValue.json(dict(statuses)),
        "preview": dg.MetadataValue.md(
            "\n".join(["| file | sha256 | bytes | status |", "|---|---|---|---|"]
                      + [f"| {r.file_name} | {r.sha256[:12]} | {r.size_bytes} | {r.status} |" for r in records[:50]])
        ),
    })
    return records


@dg.asset(group_name=GROUP, description="Each PDF parsed with pdfplumber (cached by sha256, parallel processes) and its facts extracted.")
def parsed_reports(context: dg.AssetExecutionContext, report_files: list[FileRecord]) -> list[DocumentResult]:
    results = process_all(report_files, parse_cache_dir())
    statuses = Counter(r.file.status for r in results)
    context.add_output_metadata({
        "documents": len(results),
        "by_status": dg.MetadataValue.json(dict(statuses)),
        "rejected": dg.MetadataValue.md(
            "\n".join(f"- **{r.file.file_name}** `{r.file.status}`: {r.file.reason}" for r in results
                      if r.file.status not in ("loaded",)) or "none"
        ),
    })
    return results


@dg.multi_asset(
    group_name=GROUP,
    specs=[
        dg.AssetSpec("report_documents", deps=["parsed_reports"], group_name=GROUP,
                     description="One row per file with status and reason: raw.documents in the build database."),
        dg.AssetSpec("indicator_facts", deps=["parsed_reports"], group_name=GROUP,
                     description="Every extracted fact with provenance: raw.facts in the build database."),
        dg.AssetSpec("steward_overrides", group_name=GROUP,
                     description="overrides/fact_overrides.csv, validated: raw.fact_overrides in the build database."),
    ],
)
def load_build_database(context: dg.AssetExecutionContext, parsed_reports: list[DocumentResult]):
    """Facts and documents loaded into warehouse/build.duckdb (schema raw): the dbt sources."""
    documents, facts = frames(parsed_reports)
    overrides = load_overrides()
    load_raw(build_db_path(), {"documents": documents, "facts": facts, "fact_overrides": overrides})
    yield dg.MaterializeResult(asset_key="report_documents", metadata={
        "documents": len(documents),
        "preview": dg.MetadataValue.md(documents[["file_name", "status", "subject", "fact_count"]].to_markdown(index=False)),
    })
    yield dg.MaterializeResult(asset_key="indicator_facts", metadata={
        "facts": len(facts),
        "build_db": str(build_db_path()),
        "preview": dg.MetadataValue.md(
            facts.head(20)[["source_file", "page", "entity", "period_year", "indicator", "value"]].to_markdown(index=False)
        ),
    })
    yield dg.MaterializeResult(asset_key="steward_overrides", metadata={"overrides": len(overrides), "file": str(overrides_path())})
