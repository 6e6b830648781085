-- One row per extracted number, keyed by a hash of its provenance.
select
    md5(concat_ws('|', f.source_file, f.page, f.entity, f.period_year, f.indicator, f.value, f.snippet, f.method)) as fact_id,
    f.source_file,
    f.sha256,
    f.page,
    f.entity,
    f.entity_level,
    nullif(f.admin_code, '') as admin_code,
    f.period_year,
    f.indicator,
    f.value,
    f.unit,
    f.snippet,
    f.method,
    f.rule,
    f.approximate,
    f.printed,
    f.confidence,
    f.confidence_reason,
    d.report_year,
    d.subject as report_subject,
    nullif(d.level, '') as report_level,
    nullif(d.admin_code, '') as report_admin_code,
    nullif(d.school_code, '') as report_school_code
from {{ source('raw', 'facts') }} as f
left join {{ source('raw', 'documents') }} as d on d.file_name = f.source_file
