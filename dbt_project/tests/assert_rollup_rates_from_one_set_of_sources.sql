-- Blocking: a rolled-up rate or ratio uses only sources that state both its numerator and its
-- denominator, and equals their sums' quotient (河南省 2023 employment_rate was 初次就业 of one
-- statement over graduates of another).
{{ config(meta={'dagster': {'ref': {'name': 'area_indicator_year'}}}) }}
with rates as (
    select a.level, a.entity_id, a.period_year, a.indicator, a.value, i.rollup_numerator, i.rollup_denominator, i.rollup_scale,
        unnest(string_split(a.source_ids, ',')) as source_id
    from {{ ref('area_indicator_year') }} as a
    join {{ ref('indicators') }} as i on i.code = a.indicator
    where a.basis = 'rollup' and i.rollup_numerator is not null and i.rollup_numerator <> ''
),

parts as (
    select r.level, r.entity_id, r.period_year, r.indicator, any_value(r.value) as value, any_value(r.rollup_scale) as scale,
        sum(n.value) as numerator, sum(d.value) as denominator, count(*) - count(n.value) as missing_numerator,
        count(*) - count(d.value) as missing_denominator
    from rates as r
    left join {{ ref('int_facts_chosen') }} as n
        on n.entity_id = r.source_id and n.period_year = r.period_year and n.indicator = r.rollup_numerator
    left join {{ ref('int_facts_chosen') }} as d
        on d.entity_id = r.source_id and d.period_year = r.period_year and d.indicator = r.rollup_denominator
    group by all
)

select *
from parts
where missing_numerator > 0 or missing_denominator > 0
    or abs(round(scale * numerator / denominator, 2) - value) > 0.01
