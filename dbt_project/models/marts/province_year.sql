-- One row per province (省) and year: the area's own reported figures, or a rollup from the level
-- below (basis says which). One column per catalog indicator.
with area_values as (
    select * from {{ ref('int_areas_rolled_up') }} where level = 'province'
),

wide as (
    {{ pivot_indicators("select area_code, period_year, indicator, value from area_values", ['area_code', 'period_year']) }}
),

row_basis as (
    select area_code, period_year, min(basis) as basis, count(*) as indicators_reported
    from area_values
    group by all
),

cities as (
    select left(area_code, 2) || '0000' as area_code, period_year, count(distinct area_code) as cities_covered
    from {{ ref('int_areas_rolled_up') }}
    where level = 'city'
    group by all
),

city_totals as (
    select province_code as area_code, count(*) as cities_total
    from {{ ref('admin_divisions') }}
    where level = 'city' and name not in ('市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划')
    group by all
)

select
    d.name as entity_name,
    cast(w.period_year as integer) as period_year,
    w.area_code as admin_code,
    
    b.basis,
    cast(b.indicators_reported as integer) as indicators_reported,
    cast(coalesce(k.cities_covered, 0) as integer) as cities_covered,
    cast(t.cities_total as integer) as cities_total,
    {{ indicator_columns() }}
from wide as w
join row_basis as b on b.area_code = w.area_code and b.period_year = w.period_year
left join {{ ref('admin_divisions') }} as d on d.admin_code = w.area_code
left join cities as k on k.area_code = w.area_code and k.period_year = w.period_year
left join city_totals as t on t.area_code = w.area_code
