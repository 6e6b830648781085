"""Ingest: raw/ inventory → parsed reports → facts loaded into the build database."""


import os
import warnings
from collections import Counter

import dagster as dg
import pandas as pd

from ...paths import build_db_path, parse_cache_dir, raw_dir
from ...warehouse.fingerprint import INPUTS_METADATA_KEY, inputs_fingerprint
from ...intake.inventory import FileRecord, inventory, parse_batch_keys, parse_batch_of
from ...intake.outcomes import DocumentResult, collect_outcomes, has_final_outcome, require_loaded
from ...intake.parse_ahead import ParseProgress, parsed_ahead
from ...intake.workers import process_all
from ...warehouse.overrides import check_additions, check_overrides_match, load_overrides, overrides_path
from ...quality.quarantine import no_quarantine, write_quarantine
from ...warehouse.store import frames, load_raw

GROUP = "ingest"


@dg.asset(group_name=GROUP, required_resource_keys={"refresh_lock"},
          description="Inventory of raw/ (报告文件): path, sha256, size, kind and status per file.")
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


# Parsing is partitioned work: each batch holds the files whose name hashes to it. A refresh runs
# every batch in one run (worker processes on this machine); a cluster sets
# ZHIJIAO_PARSE_BATCHES_PER_RUN so a backfill spreads batches over runs (one pod each, say).
PARSE_BATCHES = dg.StaticPartitionsDefinition(parse_batch_keys())


def _parse_backfill_policy() -> dg.BackfillPolicy:
    per_run = os.environ.get("ZHIJIAO_PARSE_BATCHES_PER_RUN", "").strip()
    if not per_run:
        return dg.BackfillPolicy.single_run()
    if not per_run.isdigit() or int(per_run) < 1:
        raise ValueError(f"ZHIJIAO_PARSE_BATCHES_PER_RUN={per_run!r}: expected a whole number of batches "
                         f"(1–{len(parse_batch_keys())}); unset it to parse every batch in one run.")
    return dg.BackfillPolicy.multi_run(int(per_run))


ALL_PARSE_BATCHES_TAGS = {
    "dagster/asset_partition_range_start": parse_batch_keys()[0],
    "dagster/asset_partition_range_end": parse_batch_keys()[-1],
}


def _status_metadata(results: list[DocumentResult]) -> dict:
    return {
        "parsed_files": len(results),
        "by_status": dg.MetadataValue.json(dict(Counter(r.file.status for r in results))),
        "rejected": dg.MetadataValue.md(
            "\n".join(f"- **{r.file.file_name}** `{r.file.status}`: {r.file.reason}" for r in results
                      if r.file.status != "loaded") or "none"
        ),
    }


def parsed_reports(context: dg.AssetExecutionContext, report_files: list[FileRecord]) -> dg.MaterializeResult:
    batches = set(context.partition_keys)
    mine = [r for r in report_files if r.status == "pending" and parse_batch_of(r.file_name) in batches]
    ahead = parsed_ahead(mine, parse_cache_dir())  # what `zhijiao refresh` parsed while the run started
    changed = [r for r in mine if r.path not in ahead and not has_final_outcome(r, parse_cache_dir())]
    report = ParseProgress(len(mine), done=len(mine) - len(changed))
    results = [ahead[r.path] for r in mine if r.path in ahead]
    results += process_all(changed, parse_cache_dir(), progress=report)
    return dg.MaterializeResult(metadata={
        "batches": len(batches), "unchanged_files": len(mine) - len(changed), **_status_metadata(results),
    })


with warnings.catch_warnings():
    warnings.simplefilter("ignore", dg.BetaWarning)  # backfill_policy is beta; we rely on its stable core
    parsed_reports = dg.asset(
        group_name=GROUP,
        partitions_def=PARSE_BATCHES,
        backfill_policy=_parse_backfill_policy(),
        description="Each PDF of the batch parsed (pdfium chars, pdfplumber tables and layout) in worker "
                    "processes and its facts extracted; outcomes recorded per file content under "
                    "warehouse/parse_cache/.",
    )(parsed_reports)


_ALL_BATCHES = dg.AssetDep("parsed_reports", partition_mapping=dg.AllPartitionMapping())


@dg.multi_asset(
    group_name=GROUP,
    required_resource_keys={"refresh_lock"},
    specs=[
        dg.AssetSpec("report_documents", deps=[_ALL_BATCHES, "report_files"], group_name=GROUP,
                     description="One row per file with status and reason: raw.documents in the build database."),
        dg.AssetSpec("indicator_facts", deps=[_ALL_BATCHES, "report_files"], group_name=GROUP,
                     description="Every extracted fact with provenance: raw.facts in the build database."),
        dg.AssetSpec("steward_overrides", group_name=GROUP,
                     description="overrides/fact_overrides.csv, validated: raw.fact_overrides in the build database."),
        dg.AssetSpec("quarantined_documents", group_name=GROUP,
                     description="raw.quarantine: reports the blocking gates set aside. Loaded empty; "
                                 "the gates step fills it and rebuilds the marts without them "
                                 "(gx_gates' metadata lists them)."),
    ],
)
def load_build_database(context: dg.AssetExecutionContext, report_files: list[FileRecord]):
    """Facts and documents loaded into warehouse/build.duckdb (schema raw): the dbt sources."""
    results = collect_outcomes(report_files, parse_cache_dir())
    require_loaded(results, raw_dir())
    documents, facts = frames(results)
    overrides = load_overrides()
    check_overrides_match(overrides, facts)
    added = check_additions(overrides, documents, facts)  # facts a steward added from a page
    facts = (pd.concat([facts, added.astype(facts.dtypes.to_dict())], ignore_index=True)
             if len(added) else facts)
    load_raw(build_db_path(), {"documents": documents, "facts": facts, "fact_overrides": overrides})
    write_quarantine(build_db_path(), no_quarantine())  # the gates fill it
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
    yield dg.MaterializeResult(asset_key="quarantined_documents", metadata={
        "state": "empty until the gates set reports aside: gx_gates' quarantined_reports lists them"})
