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

{{ rolled_up_level('county', 'schools', 'county_code') }},

-- A city's children: its counties' rows, and schools placed directly under the city.
city_children as (
    select d.city_code as area_code, c.period_year, c.indicator, c.value
    from county_rows as c
    join {{ ref('admin_divisions') }} as d on d.admin_code = c.area_code
    union all
    select city_code, period_year, indicator, value
    from schools where county_code is null and city_code is not null
),

{{ rolled_up_level('city', 'city_children', 'area_code') }},

{{ rolled_up_level('province', 'city_rows', "left(area_code, 2) || '0000'") }}

select 'county' as level, * from county_rows
union all
select 'city', * from city_rows
union all
select 'province', * from province_rows
