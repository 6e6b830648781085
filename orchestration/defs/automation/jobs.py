"""The yearly refresh job, its schedule, and a sensor that notices new or changed files in raw/."""


import dagster as dg

from ...warehouse.fingerprint import raw_fingerprint
from ...warehouse.lock import holding_refresh_lock, refresh_holder
from ..ingest.assets import ALL_PARSE_BATCHES_TAGS

yearly_refresh = dg.define_asset_job(
    "yearly_refresh",
    selection=dg.AssetSelection.all(),
    description="Inventory raw/, parse, extract, build the dbt models, run the gates and publish.",
    tags=ALL_PARSE_BATCHES_TAGS,  # one run covers every parse batch
    # One process for the whole run, so the refresh lock (a resource) is held from inventory to publish.
    executor_def=dg.in_process_executor,
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
           description="Starts a refresh when files in raw/ are added, removed or changed.")
def raw_files_sensor(context: dg.SensorEvaluationContext):
    busy = _busy()
    if busy:  # the cursor stays, so the change is seen once the running refresh ends
        return busy
    fingerprint = raw_fingerprint()
    if fingerprint == context.cursor:
        return dg.SkipReason("raw/ is unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
