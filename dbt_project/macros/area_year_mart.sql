{#- One wide row per area of a level and year: the area's reported figures or its rollup, pivoted
    from area_indicator_year. county_year and city_year count the schools behind each row;
    province_year counts its cities. -#}
{% macro area_year_mart(level) -%}
with area_values as (
    select * from {{ ref('area_indicator_year') }} where level = '{{ level }}'
),

wide as (
    {{ pivot_indicators("select entity_id, entity_name, period_year, indicator, value from area_values", ['entity_id', 'entity_name', 'period_year']) }}
),

row_basis as (
    select entity_id, period_year, min(basis) as basis, count(*) as indicators_reported
    from area_values
    group by all
),

{% if level == 'province' -%}
coverage as (
    select left(entity_id, 2) || '0000' as entity_id, period_year, count(distinct entity_id) as covered
    from {{ ref('area_indicator_year') }}
    where level = 'city'
    group by all
),

city_totals as (
    select province_code as entity_id, count(*) as cities_total
    from {{ ref('admin_divisions') }}
    -- Placeholder prefectures (北京市市辖区, 河南省省直辖县级行政区划) are not cities of their own.
    where level = 'city' and not regexp_matches(name, '(市辖区|县|直辖县级行政区划)$')
    group by all
)
{%- else -%}
coverage as (
    select e.{{ level }}_code as entity_id, c.period_year, count(distinct c.entity_id) as covered
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity_id)
    where e.entity_level = 'school' and e.{{ level }}_code is not null
    group by all
)
{%- endif %}

select
    w.entity_id,
    w.entity_name,
    cast(w.period_year as integer) as period_year,
    d.admin_code,
    {%- if level == 'county' %}
    d.city_code,
    city.name as city_name,
    {%- endif %}
    {%- if level != 'province' %}
    d.province_code,
    province.name as province_name,
    {%- endif %}
    b.basis,
    cast(b.indicators_reported as integer) as indicators_reported,
    {%- if level == 'province' %}
    cast(coalesce(k.covered, 0) as integer) as cities_covered,
    cast(t.cities_total as integer) as cities_total,
    {%- else %}
    cast(coalesce(k.covered, 0) as integer) as schools_covered,
    {%- endif %}
    {{ indicator_columns() }}
from wide as w
join row_basis as b on b.entity_id = w.entity_id and b.period_year = w.period_year
left join {{ ref('admin_divisions') }} as d on d.admin_code = w.entity_id
left join {{ ref('admin_divisions') }} as city on city.admin_code = d.city_code
left join {{ ref('admin_divisions') }} as province on province.admin_code = d.province_code
left join coverage as k on k.entity_id = w.entity_id and k.period_year = w.period_year
{%- if level == 'province' %}
left join city_totals as t on t.entity_id = w.entity_id
{%- endif %}
{%- endmacro %}
