-- Long form of every county, city and province figure (地区指标年度): one row per area, year and
-- indicator. The area's own report wins for a year (basis = reported); otherwise its rollup
-- (basis = rollup), with how many of its children the figure covers, per indicator.
with reported as (
    select e.entity_level as level, c.entity_id, c.period_year, c.indicator, c.value
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity_id)
    where e.entity_level in ('county', 'city', 'province')
),

rows as (
    select level, entity_id, period_year, indicator, value, 'reported' as basis,
        cast(null as integer) as children_covered, cast(null as integer) as children_total,
        cast(null as varchar) as children_missing, cast(null as varchar) as rollup_of, cast(null as varchar) as source_ids
    from reported
    union all
    select r.level, r.area_code, r.period_year, r.indicator, r.value, 'rollup',
        r.children_covered, r.children_total, r.children_missing, r.rollup_of, r.source_ids
    from {{ ref('int_areas_rolled_up') }} as r
    where not exists (select 1 from reported as c where c.entity_id = r.area_code and c.period_year = r.period_year)
)

select
    r.level,
    r.entity_id,
    d.admin_code,
    coalesce(d.name, e.entity_name) as entity_name,
    cast(r.period_year as integer) as period_year,
    r.indicator,
    r.value,
    r.basis,
    r.children_covered,
    r.children_total,
    r.children_missing,
    r.rollup_of,
    r.source_ids
from rows as r
left join {{ ref('admin_divisions') }} as d on d.admin_code = r.entity_id
left join {{ ref('int_entities_resolved') }} as e on e.entity_id = r.entity_id
