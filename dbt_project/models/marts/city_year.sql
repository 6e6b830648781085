-- One row per city (地市) and year: the area's own reported figures, or a rollup from the level
-- below (basis says which). One column per catalog indicator.
with area_values as (
    select * from {{ ref('int_areas_rolled_up') }} where level = 'city'
),

wide as (
    {{ pivot_indicators("select area_code, period_year, indicator, value from area_values", ['area_code', 'period_year']) }}
),

row_basis as (
    select area_code, period_year, min(basis) as basis, count(*) as indicators_reported
    from area_values
    group by all
),

schools as (
    select city_code as area_code, c.period_year, count(distinct c.entity) as schools_covered
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity, entity_level)
    where c.entity_level = 'school' and city_code is not null
    group by all
)

select
    d.name as entity_name,
    cast(w.period_year as integer) as period_year,
    w.area_code as admin_code,
    d.province_code, province.name as province_name,
    b.basis,
    cast(b.indicators_reported as integer) as indicators_reported,
    cast(coalesce(s.schools_covered, 0) as integer) as schools_covered,
    {{ indicator_columns() }}
from wide as w
join row_basis as b on b.area_code = w.area_code and b.period_year = w.period_year
left join {{ ref('admin_divisions') }} as d on d.admin_code = w.area_code

left join {{ ref('admin_divisions') }} as province on province.admin_code = d.province_code
left join schools as s on s.area_code = w.area_code and s.period_year = w.period_year
