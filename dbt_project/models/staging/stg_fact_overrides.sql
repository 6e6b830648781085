select
    source_file,
    nullif(entity, '') as entity,
    cast(period_year as integer) as period_year,
    nullif(indicator, '') as indicator,
    action,
    cast(corrected_value as double) as corrected_value,
    reviewer,
    note
from {{ source('raw', 'fact_overrides') }}
