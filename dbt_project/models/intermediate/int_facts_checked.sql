-- Row-level rules, steward overrides and the gates' quarantine. A fact that breaks a rule, or whose
-- document a blocking gate set aside, is held back from the marts (and listed in
-- data_quality_issues); everything else goes on.
with facts as (
    select f.*, i.kind, i.subset_of, i.part_of, i.denominator_code, i.role, e.entity_id
    from {{ ref('stg_facts') }} as f
    join {{ ref('indicators') }} as i on i.code = f.indicator
    -- entity_id: a stable identity (the name is only a label; see int_entities_identified)
    join {{ ref('int_entities_identified') }} as e
        on e.entity = f.entity and e.entity_level = f.entity_level and e.admin_code is not distinct from f.admin_code
),

overrides as (
    select * from {{ ref('stg_fact_overrides') }} where entity is not null
),

-- A whole document set aside, except the facts a steward released one by one; or a single fact.
quarantined as (
    select f.fact_id, string_agg(distinct q.gate || ': ' || q.detail, '; ') as detail
    from facts as f
    join {{ ref('stg_quarantine') }} as q
        on q.source_file = f.source_file and (q.fact_id = f.fact_id or q.fact_id is null)
    left join overrides as o
        on o.source_file = f.source_file and o.entity = f.entity and o.period_year = f.period_year
        and o.indicator = f.indicator and o.action = 'release'
    where q.fact_id is not null or o.action is null
    group by f.fact_id
),

with_overrides as (
    select
        f.*,
        o.action as override_action,
        case when o.action = 'accept_value' then o.corrected_value else f.value end as checked_value
    from facts as f
    left join overrides as o
        on o.source_file = f.source_file
        and o.entity = f.entity
        and o.period_year = f.period_year
        and o.indicator = f.indicator
),

-- Rules read the value as extracted, so a steward's correction or dismissal keeps its issue listed
-- (as corrected or dismissed); the corrected value itself meets the blocking gates.
range_violations as (
    select fact_id, 'rate_out_of_range' as rule, 'rate ' || value || ' is outside 0–100' as detail
    from with_overrides where kind = 'rate' and (value < 0 or value > 100)
    union all
    select fact_id, 'negative_value', 'value ' || value || ' is negative'
    from with_overrides where kind <> 'rate' and value < 0
    union all
    select fact_id, 'period_out_of_range', 'period year ' || period_year || ' is outside 2000–' || (coalesce(report_year, year(current_date)) + 1)
    from with_overrides where period_year < 2000 or period_year > coalesce(report_year, year(current_date)) + 1
    union all
    -- Extraction was not sure enough (待复核): a steward accepts it with an override.
    select fact_id, 'needs_review', 'confidence ' || round(confidence, 2) || ': ' || confidence_reason
    from with_overrides where confidence < {{ var('min_confidence') }}
    union all
    select fact_id, 'quarantined', 'quarantined by ' || detail
    from quarantined
),

-- A part larger than its whole: both facts are held back, since either may be wrong. A statement
-- already waiting for review (below the confidence threshold, not accepted) or quarantined is no
-- whole or part to weigh the others against.
believed as (
    select * from with_overrides
    where (confidence >= {{ var('min_confidence') }} or override_action = 'accept_value')
        and fact_id not in (select fact_id from quarantined)
),

subset_pairs as (
    select part.fact_id as part_id, whole.fact_id as whole_id,
        part.indicator || ' ' || part.value || ' > ' || whole.indicator || ' ' || whole.value as detail
    from believed as part
    join believed as whole
        on whole.indicator = part.subset_of
        and whole.entity_id = part.entity_id
        and whole.period_year = part.period_year
    where part.value > whole.value
),

violations as (
    select * from range_violations
    union all
    select part_id, 'subset_exceeds_whole', detail from subset_pairs
    union all
    select whole_id, 'subset_exceeds_whole', detail from subset_pairs
),

rolled as (
    select fact_id, string_agg(distinct rule, ',' order by rule) as hold_rules, string_agg(distinct detail, '; ' order by detail) as hold_detail
    from violations
    group by fact_id
)

select
    f.* exclude (value, checked_value),
    f.value as extracted_value,
    f.checked_value as value,
    r.hold_rules,
    r.hold_detail,
    q.fact_id is not null as quarantined,
    -- a steward's dismissal or correction answers a rule, never the quarantine (release does)
    q.fact_id is not null
        or coalesce(r.hold_rules is not null
            and coalesce(f.override_action, '') not in ('dismiss', 'accept_value'), false)
        as held_back
from with_overrides as f
left join rolled as r using (fact_id)
left join quarantined as q using (fact_id)
