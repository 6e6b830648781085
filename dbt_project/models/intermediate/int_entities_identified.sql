-- A stable id for every named entity (entity_id), so two places that share a name (鼓楼区 of 福州
-- and of 南京) never merge. An area's id is its GB/T 2260 code; a school's is its 学校标识码 when
-- its own report prints one, else the code of its area + ':' + its canonical name.
-- A school named in another report (a city's) takes the area and code of its own report, when
-- there is one in the same province, so both reports land on one id.
with named as (
    select distinct entity, entity_level, admin_code
    from {{ ref('stg_facts') }}
),

own_school_reports as (
    select report_subject as entity, left(report_admin_code, 2) as province_prefix,
        min(report_admin_code) as home_admin_code, min(report_school_code) as school_code
    from {{ ref('stg_facts') }}
    where report_level = 'school'
    group by all
),

identified as (
    select
        n.entity,
        n.entity_level,
        n.admin_code,
        case when n.entity_level = 'school' then coalesce(o.home_admin_code, n.admin_code) else n.admin_code end as home_admin_code,
        o.school_code
    from named as n
    left join own_school_reports as o
        on n.entity_level = 'school' and o.entity = n.entity
        and (n.admin_code is null or o.province_prefix = left(n.admin_code, 2))
    qualify row_number() over (partition by n.entity, n.entity_level, n.admin_code order by o.province_prefix) = 1
)

select
    entity,
    entity_level,
    admin_code,
    home_admin_code,
    school_code,
    case
        when entity_level <> 'school' then coalesce(admin_code, ':' || entity)
        else coalesce(school_code, coalesce(home_admin_code, '') || ':' || entity)
    end as entity_id
from identified
