-- Every file seen in raw/ (报告清单) with its status and, when rejected, why and what to do.
select * from {{ ref('stg_documents') }}
