-- Each entity (by entity_id) placed in the hierarchy school → county → city → province (GB/T 2260).
with entities as (
    select e.entity_id, e.entity_level, any_value(e.entity) as entity_name, any_value(e.home_admin_code) as admin_code
    from {{ ref('int_entities_identified') }} as e
    where e.entity_id in (select entity_id from {{ ref('int_facts_chosen') }})
    group by e.entity_id, e.entity_level
),

divisions as (
    select * from {{ ref('admin_divisions') }}
),

placed as (
    select
        e.entity_id,
        e.entity_name,
        e.entity_level,
        e.admin_code,
        case when d.level = 'county' then d.admin_code end as county_code,
        case when d.level = 'county' then d.city_code when d.level = 'city' then d.admin_code end as city_code,
        coalesce(d.province_code, left(e.admin_code, 2) || '0000') as province_code
    from entities as e
    left join divisions as d on d.admin_code = e.admin_code
)

select
    p.*,
    county.name as county_name,
    city.name as city_name,
    province.name as province_name
from placed as p
left join divisions as county on county.admin_code = p.county_code
left join divisions as city on city.admin_code = p.city_code
left join divisions as province on province.admin_code = p.province_code
