"""The Definitions object the Dagster UI and the zhijiao CLI load."""

from __future__ import annotations

import dagster as dg

from .defs.automation.jobs import raw_files_sensor, refresh_lock, yearly_refresh, yearly_schedule
from .defs.ingest.assets import load_build_database, parsed_reports, report_files
from .defs.publish.assets import published_warehouse
from .defs.quality.checks import gx_checks
from .defs.transform.dbt import dbt_resource, zhijiao_dbt_models

defs = dg.Definitions(
    assets=[report_files, parsed_reports, load_build_database, zhijiao_dbt_models, published_warehouse],
    asset_checks=gx_checks,
    jobs=[yearly_refresh],
    schedules=[yearly_schedule],
    sensors=[raw_files_sensor],
    resources={"dbt": dbt_resource, "refresh_lock": refresh_lock},
)
