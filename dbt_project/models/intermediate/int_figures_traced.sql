-- Which facts every published figure rests on (数据溯源): an entity's own chosen fact, or for a
-- rollup the chosen facts of each of its sources (a rate's numerator and denominator). A failing
-- gate row is traced through this to the documents behind it.
with chosen as (
    select c.fact_id, c.source_file, c.entity_id, c.period_year, c.indicator, e.entity_level
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity_id)
)

select entity_level as level, entity_id, period_year, indicator, 'reported' as basis,
    cast(null as varchar) as rollup_of, fact_id, source_file
from chosen
union all
select r.level, r.area_code, r.period_year, r.indicator, 'rollup', r.rollup_of, c.fact_id, c.source_file
from {{ ref('int_areas_rolled_up') }} as r
cross join unnest(string_split(r.source_ids, ',')) as s(source_id)
join {{ ref('indicators') }} as i on i.code = r.indicator
join chosen as c
    on c.entity_id = s.source_id and c.period_year = r.period_year
    and c.indicator in (r.indicator, i.rollup_numerator, i.rollup_denominator)
