-- One value per entity, year and indicator. Precedence: the entity's own report, then a figure a
-- steward added from a page, then exact over
-- approximate (约/余/以上), then prose over table (prose states the headline figure; tables often hold
-- sub-totals), then file and page order.
-- Every other value stays visible through value_count and alternative_values.
with eligible as (
    select *
    from {{ ref('int_facts_checked') }}
    where not held_back and role = 'indicator'  -- components only feed consistency checks
),

ranked as (
    select
        *,
        row_number() over (
            partition by entity_id, period_year, indicator
            order by (report_subject = entity) desc, (method = 'steward') desc, approximate,
                (method = 'prose') desc, source_file, page, fact_id
        ) as precedence,
        count(distinct value) over (partition by entity_id, period_year, indicator) as value_count
    from eligible
),

alternatives as (
    select entity_id, period_year, indicator,
        string_agg(distinct cast(value as varchar) || ' (' || source_file || ' p' || page || ')', '; ') as alternative_values
    from ranked
    where precedence > 1
    group by all
)

select r.* exclude (precedence), a.alternative_values
from ranked as r
left join alternatives as a using (entity_id, period_year, indicator)
where r.precedence = 1
