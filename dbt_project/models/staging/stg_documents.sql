select
    file_name as source_file,
    sha256,
    size_bytes,
    kind,
    status,
    nullif(reason, '') as reason,
    nullif(title, '') as title,
    nullif(subject, '') as subject,
    nullif(level, '') as level,
    nullif(admin_code, '') as admin_code,
    report_year,
    body_year,
    nullif(document_type, '') as document_type,
    nullif(school_code, '') as school_code,
    nullif(review_reason, '') as review_reason,
    page_count,
    fact_count
from {{ source('raw', 'documents') }}
