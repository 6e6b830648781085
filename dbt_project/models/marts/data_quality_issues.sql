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
        on c.entity_id = y.entity_id and c.period_year = y.period_year and c.indicator = y.indicator
    join {{ ref('indicators') }} as i on i.code = y.indicator
    -- a comparable change in an additive count; changes across bases are never computed
    where y.comparable and y.basis = 'reported' and i.kind = 'count' and i.additive
        and abs(y.pct_change) > {{ var('yoy_jump_pct') }}
),

-- The children of an area add up to more than the area's own report states.
children_exceed as (
    select c.fact_id, 'children_exceed_total' as rule, 'review' as severity,
        'rollup of ' || r.rollup_of || ' (' || r.children_covered || '/' || r.children_total || ' children) is '
        || r.rollup_value || ', above the reported ' || c.extracted_value as detail
    from {{ ref('reconciliation') }} as r
    join {{ ref('int_facts_chosen') }} as c
        on c.entity_id = r.entity_id and c.period_year = r.period_year and c.indicator = r.indicator
    join {{ ref('indicators') }} as i on i.code = r.indicator
    -- the reported value as extracted, so a steward's correction keeps the issue listed (as corrected)
    where r.children_exceed_total or (i.additive and r.rollup_value > c.extracted_value)
),

-- A report whose subject stays uncertain (an ambiguous place name): its figures are published
-- under the best guess, flagged once per report on its first chosen fact.
uncertain_subject as (
    select c.fact_id, 'needs_review' as rule, 'review' as severity,
        'report subject ' || d.subject || ' (' || coalesce(d.admin_code, 'no code') || ') is uncertain: ' || d.review_reason as detail
    from {{ ref('stg_documents') }} as d
    join {{ ref('int_facts_chosen') }} as c on c.source_file = d.source_file
    where d.review_reason is not null
    qualify row_number() over (partition by d.source_file order by c.page, c.fact_id) = 1
),

-- Parts that do not add up to their whole (345 + 1080 + 3924 ≠ 5342), within one report; like the
-- row-level rules, these read the values as extracted.
parts as (
    select source_file, entity_id, period_year, part_of, sum(extracted_value) as parts_sum, count(distinct indicator) as parts_found
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
        on w.source_file = p.source_file and w.entity_id = p.entity_id
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
        and n.entity_id = s.entity_id and n.period_year = s.period_year
    join checked as d
        on d.indicator = s.denominator_code and d.source_file = s.source_file
        and d.entity_id = s.entity_id and d.period_year = s.period_year
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
    union all
    select * from children_exceed
    union all
    select * from uncertain_subject
)

select
    md5(i.fact_id || '|' || i.rule) as issue_id,
    i.rule,
    i.severity,
    case when i.rule = 'quarantined' then 'quarantined'  -- only a release answers it
        when f.override_action = 'dismiss' then 'dismissed'
        when f.override_action = 'accept_value' then 'corrected'
        else 'open' end as status,
    f.entity_id,
    f.entity as entity_name,
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
