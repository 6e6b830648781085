-- Blocking: a change is never computed between an own report and a rollup, nor between rollups
-- of different sources.
select y.level, y.entity_id, y.indicator, y.period_year
from {{ ref('yearly_comparison') }} as y
join {{ ref('yearly_comparison') }} as p
    on p.level = y.level and p.entity_id = y.entity_id and p.indicator = y.indicator
    and p.period_year = y.prev_period_year
where (y.abs_change is not null or y.pct_change is not null or y.rank_in_level is not null)
    and (y.basis <> p.basis or (y.basis = 'rollup' and y.source_ids is distinct from p.source_ids))
