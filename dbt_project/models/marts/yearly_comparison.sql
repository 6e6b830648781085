-- Long form (年度比较): one row per level, entity, indicator and year, against the latest earlier year.
with school_values as (
    select 'school' as level, c.entity as entity_name, e.admin_code, c.period_year, c.indicator, c.value, 'reported' as basis
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity, entity_level)
    where c.entity_level = 'school'
),

area_values as (
    select a.level, d.name as entity_name, a.area_code as admin_code, a.period_year, a.indicator, a.value, a.basis
    from {{ ref('int_areas_rolled_up') }} as a
    left join {{ ref('admin_divisions') }} as d on d.admin_code = a.area_code
),

all_values as (
    select * from school_values
    union all
    select * from area_values
),

with_previous as (
    select
        v.*,
        lag(v.period_year) over w as prev_period_year,
        lag(v.value) over w as prev_value
    from all_values as v
    window w as (partition by v.level, v.entity_name, v.indicator order by v.period_year)
)

select
    p.level,
    p.entity_name,
    p.admin_code,
    p.indicator,
    i.name_zh as indicator_name_zh,
    i.unit,
    cast(p.period_year as integer) as period_year,
    p.value,
    cast(p.prev_period_year as integer) as prev_period_year,
    p.prev_value,
    p.value - p.prev_value as abs_change,
    case when p.prev_value <> 0 then round(100.0 * (p.value - p.prev_value) / abs(p.prev_value), 2) end as pct_change,
    coalesce(p.period_year - p.prev_period_year > 1, false) as compared_across_gap,
    cast(rank() over (
        partition by p.level, p.indicator, p.period_year
        order by case when i.direction = 'lower_better' then p.value else -p.value end
    ) as integer) as rank_in_level,
    cast(count(*) over (partition by p.level, p.indicator, p.period_year) as integer) as peers_in_level,
    p.basis
from with_previous as p
join {{ ref('indicators') }} as i on i.code = p.indicator
