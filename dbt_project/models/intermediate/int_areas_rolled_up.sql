-- County, city and province figures in long form. An area's own report wins for a year; otherwise
-- additive indicators are summed from the level below and the row says basis = 'rollup'.
-- Rates and ratios are never averaged: they are recomputed from their summed numerator and
-- denominator (catalog columns rollup_numerator / rollup_denominator), or left empty.
with facts as (
    select c.entity, c.entity_level, c.period_year, c.indicator, c.value,
        e.admin_code, e.county_code, e.city_code, e.province_code
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity, entity_level)
),

additive as (
    select code from {{ ref('indicators') }} where additive
),

formulas as (
    select code, rollup_numerator, rollup_denominator, rollup_scale
    from {{ ref('indicators') }}
    where rollup_numerator is not null and rollup_numerator <> ''
),

schools as (
    select * from facts where entity_level = 'school'
),

county_reported as (
    select admin_code as area_code, period_year, indicator, value
    from facts where entity_level = 'county'
),

county_rollup as (
    select county_code as area_code, period_year, indicator, sum(value) as value
    from schools
    where county_code is not null and indicator in (select code from additive)
    group by all
),

county_rollup_with_ratios as (
    {{ with_recomputed_ratios('county_rollup') }}
),

county_rows as (
    {{ reported_or_rollup('county_reported', 'county_rollup_with_ratios') }}
),

city_reported as (
    select admin_code as area_code, period_year, indicator, value
    from facts where entity_level = 'city'
),

city_children as (
    select d.city_code as area_code, c.period_year, c.indicator, c.value
    from county_rows as c
    join {{ ref('admin_divisions') }} as d on d.admin_code = c.area_code
    union all
    select city_code, period_year, indicator, value
    from schools where county_code is null and city_code is not null
),

city_rollup as (
    select area_code, period_year, indicator, sum(value) as value
    from city_children
    where indicator in (select code from additive)
    group by all
),

city_rollup_with_ratios as (
    {{ with_recomputed_ratios('city_rollup') }}
),

city_rows as (
    {{ reported_or_rollup('city_reported', 'city_rollup_with_ratios') }}
),

province_reported as (
    select admin_code as area_code, period_year, indicator, value
    from facts where entity_level = 'province'
),

province_rollup as (
    select left(area_code, 2) || '0000' as area_code, period_year, indicator, sum(value) as value
    from city_rows
    where indicator in (select code from additive)
    group by all
),

province_rollup_with_ratios as (
    {{ with_recomputed_ratios('province_rollup') }}
),

province_rows as (
    {{ reported_or_rollup('province_reported', 'province_rollup_with_ratios') }}
)

select 'county' as level, * from county_rows
union all
select 'city', * from city_rows
union all
select 'province', * from province_rows
