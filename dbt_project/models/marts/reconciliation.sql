-- An area's own report beside the rollup of its children (对账), where both exist for a year and
-- indicator: both values, the gap, and how many children the rollup covers. For an additive
-- indicator the children's sum should not exceed the area's total (children_exceed_total).
select
    a.level,
    a.entity_id,
    a.admin_code,
    a.entity_name,
    a.period_year,
    a.indicator,
    cast(a.value as double) as reported_value,
    r.value as rollup_value,
    r.value - a.value as gap,
    case when a.value <> 0 then round(100.0 * (r.value - a.value) / abs(a.value), 2) end as gap_pct,
    r.children_covered,
    r.children_total,
    r.children_missing,
    r.rollup_of,
    coalesce(i.additive and r.value > a.value, false) as children_exceed_total
from {{ ref('area_indicator_year') }} as a
join {{ ref('int_areas_rolled_up') }} as r
    on r.area_code = a.entity_id and r.period_year = a.period_year and r.indicator = a.indicator
join {{ ref('indicators') }} as i on i.code = a.indicator
where a.basis = 'reported'
