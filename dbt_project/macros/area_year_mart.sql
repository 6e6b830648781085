{#- One wide row per area of a level and year: the area's reported figures or its rollup.
    county_year and city_year count the schools behind each row; province_year counts its cities. -#}
{% macro area_year_mart(level) -%}
with area_values as (
    select * from {{ ref('int_areas_rolled_up') }} where level = '{{ level }}'
),

wide as (
    {{ pivot_indicators("select area_code, period_year, indicator, value from area_values", ['area_code', 'period_year']) }}
),

row_basis as (
    select area_code, period_year, min(basis) as basis, count(*) as indicators_reported
    from area_values
    group by all
),

{% if level == 'province' -%}
coverage as (
    select left(area_code, 2) || '0000' as area_code, period_year, count(distinct area_code) as covered
    from {{ ref('int_areas_rolled_up') }}
    where level = 'city'
    group by all
),

city_totals as (
    select province_code as area_code, count(*) as cities_total
    from {{ ref('admin_divisions') }}
    -- Placeholder prefectures (北京市市辖区, 河南省省直辖县级行政区划) are not cities of their own.
    where level = 'city' and not regexp_matches(name, '(市辖区|县|直辖县级行政区划)$')
    group by all
)
{%- else -%}
coverage as (
    select e.{{ level }}_code as area_code, c.period_year, count(distinct c.entity) as covered
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity, entity_level)
    where c.entity_level = 'school' and e.{{ level }}_code is not null
    group by all
)
{%- endif %}

select
    d.name as entity_name,
    cast(w.period_year as integer) as period_year,
    w.area_code as admin_code,
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
join row_basis as b on b.area_code = w.area_code and b.period_year = w.period_year
left join {{ ref('admin_divisions') }} as d on d.admin_code = w.area_code
left join {{ ref('admin_divisions') }} as city on city.admin_code = d.city_code
left join {{ ref('admin_divisions') }} as province on province.admin_code = d.province_code
left join coverage as k on k.area_code = w.area_code and k.period_year = w.period_year
{%- if level == 'province' %}
left join city_totals as t on t.area_code = w.area_code
{%- endif %}
{%- endmacro %}

{#- Rows of an area level: reported where the area's own report covers the year, else the rollup. -#}
{% macro reported_or_rollup(reported, rollup) -%}
    select *, 'reported' as basis from {{ reported }}
    union all
    select *, 'rollup' from {{ rollup }} as r
    where not exists (select 1 from {{ reported }} as c where c.area_code = r.area_code and c.period_year = r.period_year)
{%- endmacro %}

{#- A rollup's summed values plus the rates and ratios recomputed from them. -#}
{% macro with_recomputed_ratios(rollup) -%}
    select * from {{ rollup }}
    union all
    select n.area_code, n.period_year, f.code as indicator,
        round(f.rollup_scale * n.value / d.value, 2) as value
    from formulas as f
    join {{ rollup }} as n on n.indicator = f.rollup_numerator
    join {{ rollup }} as d
        on d.indicator = f.rollup_denominator and d.area_code = n.area_code and d.period_year = n.period_year
    where d.value > 0
{%- endmacro %}

{#- The four steps of one area level: its own reported facts, the sum of its children (additive
    indicators), ratios recomputed from those sums, and reported-or-rollup per area and year. -#}
{% macro rolled_up_level(level, children, area_code) -%}
{{ level }}_reported as (
    select admin_code as area_code, period_year, indicator, value
    from facts where entity_level = '{{ level }}'
),

{{ level }}_rollup as (
    select {{ area_code }} as area_code, period_year, indicator, sum(value) as value
    from {{ children }}
    where {{ area_code }} is not null and indicator in (select code from additive)
    group by all
),

{{ level }}_rollup_with_ratios as (
    {{ with_recomputed_ratios(level ~ '_rollup') }}
),

{{ level }}_rows as (
    {{ reported_or_rollup(level ~ '_reported', level ~ '_rollup_with_ratios') }}
)
{%- endmacro %}
