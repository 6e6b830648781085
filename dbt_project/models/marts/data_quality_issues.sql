-- Everything a steward should look at (数据质量问题): facts held back by a row-level rule, and
-- review flags (conflicting sources, large year-over-year jumps) that were still published.
with checked as (
    select * from {{ ref('int_facts_checked') }}
),

held_back as (
    select fact_id, unnest(string_split(hold_rules, ',')) as rule, 'held_back' as severity,
        case when override_action = 'dismiss' then 'dismissed'
             when override_action = 'accept_value' then 'corrected' else 'open' end as status,
        hold_detail as detail
    from checked
    where hold_rules is not null
),

conflicts as (
    select c.fact_id, 'conflicting_values' as rule, 'review' as severity, 'open' as status,
        'chosen ' || c.value || '; also stated: ' || c.alternative_values as detail
    from {{ ref('int_facts_chosen') }} as c
    where c.value_count > 1
),

jumps as (
    select c.fact_id, 'year_over_year_jump' as rule, 'review' as severity, 'open' as status,
        y.indicator || ' changed ' || y.pct_change || '% from ' || y.prev_period_year as detail
    from {{ ref('yearly_comparison') }} as y
    join {{ ref('int_facts_chosen') }} as c
        on c.entity = y.entity_name and c.period_year = y.period_year and c.indicator = y.indicator
    where y.basis = 'reported' and abs(y.pct_change) > {{ var('yoy_jump_pct') }}
),

issues as (
    select * from held_back
    union all
    select * from conflicts
    union all
    select * from jumps
)

select
    md5(i.fact_id || '|' || i.rule) as issue_id,
    i.rule,
    i.severity,
    i.status,
    f.entity,
    f.entity_level,
    cast(f.period_year as integer) as period_year,
    f.indicator,
    f.extracted_value as value,
    f.source_file,
    cast(f.page as integer) as page,
    f.snippet,
    i.detail
from issues as i
join checked as f using (fact_id)
