-- One row per school and year (学校年度), one column per catalog indicator.
with chosen as (
    select * from {{ ref('int_facts_chosen') }} where entity_level = 'school'
),

wide as (
    {{ pivot_indicators("select entity_id, period_year, indicator, value from chosen", ['entity_id', 'period_year']) }}
),

coverage as (
    select entity_id, period_year,
        count(*) as indicators_reported,
        string_agg(distinct source_file, ', ' order by source_file) as source_files
    from chosen
    group by all
)

select
    w.entity_id,
    e.entity_name,
    cast(w.period_year as integer) as period_year,
    e.admin_code,
    e.county_name,
    e.city_name,
    e.province_name,
    cast(c.indicators_reported as integer) as indicators_reported,
    c.source_files,
    {{ indicator_columns() }}
from wide as w
join {{ ref('int_entities_resolved') }} as e on e.entity_id = w.entity_id
join coverage as c on c.entity_id = w.entity_id and c.period_year = w.period_year
