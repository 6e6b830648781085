-- Set aside by a blocking gate (隔离): a whole document (fact_id null), or one fact of a document a
-- steward released.
select
    source_file,
    nullif(fact_id, '') as fact_id,
    gate,
    detail
from {{ source('raw', 'quarantine') }}
