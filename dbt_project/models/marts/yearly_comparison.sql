-- Long form (年度比较): one row per level, entity, indicator and year, against the latest earlier year.
-- A change is computed only like for like (comparable): both years the entity's own report, or
-- both rollups of the same sources. Otherwise not_comparable_reason says why, in words.
-- Ranks are among like-for-like peers: own reports, and rollups that cover every child area.
with school_values as (
    select 'school' as level, c.entity_id, e.entity_name, e.admin_code, c.period_year, c.indicator, c.value,
        'reported' as basis, cast(null as integer) as children_covered, cast(null as integer) as children_total,
        cast(null as varchar) as rollup_of, c.entity_id as source_ids
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity_id)
    where c.entity_level = 'school'
),

area_values as (
    select level, entity_id, entity_name, admin_code, period_year, indicator, value,
        basis, children_covered, children_total, rollup_of, coalesce(source_ids, entity_id)
    from {{ ref('area_indicator_year') }}
),

all_values as (
    select * from school_values
    union all
    select * from area_values
),

with_previous as (
    select
        v.*,
        lag(v.period_year) over w as prev_period_year,
        lag(v.value) over w as prev_value,
        lag(v.basis) over w as prev_basis,
        lag(v.rollup_of) over w as prev_rollup_of,
        lag(v.source_ids) over w as prev_source_ids
    from all_values as v
    window w as (partition by v.level, v.entity_id, v.indicator order by v.period_year)
),

judged as (
    select
        p.*,
        case when p.prev_period_year is null then null
             else p.basis = p.prev_basis and (p.basis = 'reported' or p.source_ids = p.prev_source_ids)
        end as comparable,
        case when p.basis = 'reported' then p.entity_name || '''s own report' else 'a rollup of ' || p.rollup_of end as described,
        case when p.prev_basis = 'reported' then p.entity_name || '''s own report' else 'a rollup of ' || p.prev_rollup_of end as prev_described
    from with_previous as p
),

ranked as (
    select
        j.*,
        -- like for like: the entity's own figure, or a rollup covering every child area of a city or province
        coalesce(j.comparable, true)
            and (j.basis = 'reported' or (j.level <> 'county' and j.children_covered = j.children_total)) as is_peer
    from judged as j
)

select
    r.level,
    r.entity_id,
    r.entity_name,
    r.admin_code,
    r.indicator,
    i.name_zh as indicator_name_zh,
    i.unit,
    cast(r.period_year as integer) as period_year,
    r.value,
    r.basis,
    r.children_covered,
    r.children_total,
    r.rollup_of,
    r.source_ids,
    cast(r.prev_period_year as integer) as prev_period_year,
    r.prev_value,
    r.prev_basis,
    r.comparable,
    case when r.comparable = false then
        case when r.basis = r.prev_basis and r.described = r.prev_described
             then r.period_year || ' and ' || r.prev_period_year || ' are rollups of different sources ('
                  || r.period_year || ': ' || r.source_ids || '; ' || r.prev_period_year || ': ' || r.prev_source_ids || ')'
             else r.period_year || ' is ' || r.described || '; ' || r.prev_period_year || ' is ' || r.prev_described
        end
    end as not_comparable_reason,
    case when r.comparable then r.value - r.prev_value end as abs_change,
    case when r.comparable and r.prev_value <> 0 then round(100.0 * (r.value - r.prev_value) / abs(r.prev_value), 2) end as pct_change,
    coalesce(r.period_year - r.prev_period_year > 1, false) as compared_across_gap,
    case when r.is_peer then cast(rank() over (
        partition by r.level, r.indicator, r.period_year, r.is_peer
        order by case when i.direction = 'lower_better' then r.value else -r.value end
    ) as integer) end as rank_in_level,
    case when r.is_peer then cast(count(*) over (partition by r.level, r.indicator, r.period_year, r.is_peer) as integer) end as peers_in_level
from ranked as r
join {{ ref('indicators') }} as i on i.code = r.indicator
