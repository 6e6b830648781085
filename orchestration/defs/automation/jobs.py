"""The yearly refresh job, its schedule, and a sensor that notices new or changed files in raw/."""

import hashlib
import json
import os

import dagster as dg

from ...warehouse.fingerprint import files_changed_since_publish, published_file_hashes, raw_file_hashes
from ...warehouse.lock import holding_refresh_lock, refresh_holder
from ..ingest.assets import ALL_PARSE_BATCHES_TAGS

yearly_refresh = dg.define_asset_job(
    "yearly_refresh",
    selection=dg.AssetSelection.all(),
    description="Inventory raw/, parse, extract, build the dbt models, run the gates and publish.",
    tags=ALL_PARSE_BATCHES_TAGS,  # one run covers every parse batch
    # One process for the whole run, so the refresh lock (a resource) is held from inventory to publish.
    executor_def=dg.in_process_executor,
    # Runs the UI's daemon launches log at INFO (Dagster's default is DEBUG, a line per event);
    # `zhijiao ui --log-level debug` sets ZHIJIAO_LOG_LEVEL for the code server.
    config={"loggers": {"console": {"config": {"log_level": os.environ.get("ZHIJIAO_LOG_LEVEL", "INFO").upper()}}}},
)


@dg.resource(description="The warehouse's refresh lock, held for the whole run: one refresh at a time.")
def refresh_lock(_):
    with holding_refresh_lock():
        yield


def _busy() -> dg.SkipReason | None:
    holder = refresh_holder()
    return dg.SkipReason(f"a refresh of this warehouse is running ({holder})") if holder else None


# Reports for a year come out by the following spring; refresh once a year after that.
@dg.schedule(name="yearly_refresh_schedule", job=yearly_refresh, cron_schedule="0 6 1 4 *",
             execution_timezone="Asia/Shanghai", default_status=dg.DefaultScheduleStatus.RUNNING)
def yearly_schedule(context: dg.ScheduleEvaluationContext):
    return _busy() or dg.RunRequest()


@dg.sensor(job=yearly_refresh, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a refresh when files in raw/ differ from those the published warehouse was built from.")
def raw_files_sensor(context: dg.SensorEvaluationContext):
    busy = _busy()
    if busy:  # files are compared with the publication once the running refresh ends
        return busy
    # The cursor keeps each file's hash with its size and mtime, so unchanged files are not re-read.
    listing = raw_file_hashes(json.loads(context.cursor) if context.cursor else None)
    context.update_cursor(json.dumps(listing))
    changed = files_changed_since_publish(listing, published_file_hashes())
    if not changed:
        return dg.SkipReason("raw/ holds the files of the last publish")
    state = hashlib.sha256(json.dumps({n: sha for n, (_, sha) in listing.items()}, sort_keys=True).encode()).hexdigest()
    shown = ", ".join(changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
    return dg.RunRequest(run_key=state, tags={"zhijiao/changed_files": shown})
