-- Every file seen in raw/ (报告清单) with its status and, when rejected or quarantined, why and what to do.
with set_aside as (
    select source_file, string_agg(distinct gate || ': ' || detail, '; ') as detail
    from {{ ref('stg_quarantine') }}
    where fact_id is null
    group by all
)

select
    d.*,
    s.source_file is not null as quarantined,
    case when s.source_file is not null then
        s.detail || '. Correct the value with an accept_value line in overrides/fact_overrides.csv, or '
        || 'release the report with a release line, then refresh.'
    end as quarantine_reason
from {{ ref('stg_documents') }} as d
left join set_aside as s using (source_file)
