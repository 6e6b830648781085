-- What each report yields of the indicators a report of its level is expected to state (报告完整性):
-- one row per loaded report and core indicator (catalog core_for: school, or area for a county,
-- city or province), found, held for review, quarantined, added by a steward, or missing.
with reports as (
    select source_file, subject, level, body_year
    from {{ ref('stg_documents') }}
    where status = 'loaded' and level is not null
),

expected as (
    select r.*, i.code as indicator, i.name_zh
    from reports as r
    join {{ ref('indicators') }} as i
        on list_contains(string_split(coalesce(i.core_for, ''), '|'),
                         case when r.level = 'school' then 'school' else 'area' end)
),

-- The report's own figures (about its subject), best first: a steward's, a published one, then the
-- held ones; the year the body describes before other years.
own as (
    select f.source_file, f.indicator, f.period_year, f.value, f.page, f.snippet,
        case when f.method = 'steward' and not f.held_back then 'added_by_steward'
             when not f.held_back then 'found'
             when f.quarantined then 'quarantined'
             else 'held_for_review' end as status
    from {{ ref('int_facts_checked') }} as f
    join reports as r on r.source_file = f.source_file and r.subject = f.entity and r.level = f.entity_level
    where f.role = 'indicator'
),

best as (
    select o.*
    from own as o
    join reports as r using (source_file)
    qualify row_number() over (
        partition by o.source_file, o.indicator
        order by case o.status when 'added_by_steward' then 0 when 'found' then 1 when 'quarantined' then 2
                else 3 end,
            (o.period_year = r.body_year) desc, o.page
    ) = 1
)

select
    e.source_file,
    e.subject,
    e.level,
    e.indicator,
    e.name_zh as indicator_name,
    coalesce(b.status, 'missing') as status,
    cast(b.period_year as integer) as period_year,
    b.value,
    cast(b.page as integer) as page,
    b.snippet,
    cast(count(*) filter (where b.status in ('found', 'added_by_steward'))
        over (partition by e.source_file) as integer) as core_found,
    cast(count(*) over (partition by e.source_file) as integer) as core_total
from expected as e
left join best as b using (source_file, indicator)
