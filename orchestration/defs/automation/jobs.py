"""The yearly refresh job, its schedule, and a sensor that notices new or changed files in raw/."""


import hashlib

import dagster as dg

from ...paths import raw_dir

yearly_refresh = dg.define_asset_job(
    "yearly_refresh",
    selection=dg.AssetSelection.all(),
    description="Inventory raw/, parse, extract, build the dbt models, run the gates and publish.",
)

# Reports for a year come out by the following spring; refresh once a year after that.
yearly_schedule = dg.ScheduleDefinition(
    name="yearly_refresh_schedule",
    job=yearly_refresh,
    cron_schedule="0 6 1 4 *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def raw_fingerprint() -> str:
    """Names, sizes and modification times of raw/: cheap, and changes whenever a file does."""
    digest = hashlib.sha256()
    root = raw_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=yearly_refresh, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a refresh when files in raw/ are added, removed or changed.")
def raw_files_sensor(context: dg.SensorEvaluationContext):
    fingerprint = raw_fingerprint()
    if fingerprint == context.cursor:
        return dg.SkipReason("raw/ is unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
