#!/bin/sh
# dbt, run in the warehouse folder rather than the project folder dagster-dbt starts it in:
# profiles.yml names the build database relative to it, and dbt keys its saved parse on the profile,
# so one saved parse serves every warehouse path (orchestration/defs/transform/dbt.py).
# dagster-dbt's target and log paths are relative to the project folder: made absolute first.
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
if [ -n "$DBT_TARGET_PATH" ]; then DBT_TARGET_PATH=$(absolute "$DBT_TARGET_PATH"); export DBT_TARGET_PATH; fi
if [ -n "$DBT_LOG_PATH" ]; then DBT_LOG_PATH=$(absolute "$DBT_LOG_PATH"); export DBT_LOG_PATH; fi
cd "$ZHIJIAO_DBT_WORKDIR" || exit 2
exec "$ZHIJIAO_DBT" "$@"
