-- Everything a steward should look at (数据质量问题): facts held back by a row-level rule, and
-- review flags (conflicting sources, large year-over-year jumps) that were still published. A steward's
-- override keeps the issue listed, as corrected (accept_value) or dismissed (dismiss).
with checked as (
    select * from {{ ref('int_facts_checked') }}
),

held_back as (
    select fact_id, unnest(string_split(hold_rules, ',')) as rule, 'held_back' as severity, hold_detail as detail
    from checked
    where hold_rules is not null
),

conflicts as (
    select c.fact_id, 'conflicting_values' as rule, 'review' as severity,
        'chosen ' || c.value || '; also stated: ' || c.alternative_values as detail
    from {{ ref('int_facts_chosen') }} as c
    where c.value_count > 1
),

jumps as (
    select c.fact_id, 'year_over_year_jump' as rule, 'review' as severity,
        y.indicator || ' changed ' || y.pct_change || '% from ' || y.prev_period_year as detail
    from {{ ref('yearly_comparison') }} as y
    join {{ ref('int_facts_chosen') }} as c
        on c.entity = y.entity_name and c.period_year = y.period_year and c.indicator = y.indicator
    where y.basis = 'reported' and abs(y.pct_change) > {{ var('yoy_jump_pct') }}
),

-- Parts that do not add up to their whole (345 + 1080 + 3924 ≠ 5342), within one report; like the
-- row-level rules, these read the values as extracted.
parts as (
    select source_file, entity, period_year, part_of, sum(extracted_value) as parts_sum, count(distinct indicator) as parts_found
    from checked
    where part_of is not null and part_of <> ''
    group by all
),

parts_expected as (
    select part_of, count(*) as parts_total
    from {{ ref('indicators') }}
    where part_of is not null and part_of <> ''
    group by all
),

parts_mismatch as (
    select w.fact_id, 'parts_do_not_add_up' as rule, 'review' as severity,
        'parts sum to ' || p.parts_sum || ', the report states ' || w.extracted_value as detail
    from parts as p
    join parts_expected as e on e.part_of = p.part_of and e.parts_total = p.parts_found
    join checked as w
        on w.source_file = p.source_file and w.entity = p.entity
        and w.period_year = p.period_year and w.indicator = p.part_of
    where abs(p.parts_sum - w.extracted_value) > 0.5  -- counts add up exactly
),

-- A stated share that disagrees with its own counts (248 / 320 is 77.5%, not the 72.1% printed).
rate_mismatch as (
    select s.fact_id, 'rate_disagrees_with_counts' as rule, 'review' as severity,
        n.indicator || ' / ' || d.indicator || ' = ' || n.extracted_value || ' / ' || d.extracted_value || ' = '
        || round(100.0 * n.extracted_value / d.extracted_value, 2) || '%, the report states ' || s.extracted_value || '%' as detail
    from checked as s
    join {{ ref('indicators') }} as numerator_def on numerator_def.share_code = s.indicator
    join checked as n
        on n.indicator = numerator_def.code and n.source_file = s.source_file
        and n.entity = s.entity and n.period_year = s.period_year
    join checked as d
        on d.indicator = s.denominator_code and d.source_file = s.source_file
        and d.entity = s.entity and d.period_year = s.period_year
    where s.denominator_code is not null and s.denominator_code <> '' and d.extracted_value > 0
        and abs(100.0 * n.extracted_value / d.extracted_value - s.extracted_value) > {{ var('rate_tolerance_pct') }}
),

issues as (
    select * from held_back
    union all
    select * from parts_mismatch
    union all
    select * from rate_mismatch
    union all
    select * from conflicts
    union all
    select * from jumps
)

select
    md5(i.fact_id || '|' || i.rule) as issue_id,
    i.rule,
    i.severity,
    case f.override_action when 'dismiss' then 'dismissed' when 'accept_value' then 'corrected' else 'open' end as status,
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
