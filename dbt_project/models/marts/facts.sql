-- Every extracted fact with provenance (指标事实). held_back facts never reach the wide marts;
-- is_chosen marks the value a mart uses for its entity, year and indicator; quarantined, a fact whose
-- document a blocking gate set aside.
select
    f.fact_id,
    f.source_file,
    f.sha256,
    cast(f.page as integer) as page,
    f.entity_id,
    f.entity as entity_name,
    f.entity_level,
    f.admin_code,
    cast(f.period_year as integer) as period_year,
    f.indicator,
    f.value,
    f.extracted_value,
    f.unit,
    f.snippet,
    f.method,
    f.rule,
    f.approximate,
    f.held_back,
    f.hold_rules,
    f.quarantined,
    coalesce(c.fact_id is not null, false) as is_chosen
from {{ ref('int_facts_checked') }} as f
left join {{ ref('int_facts_chosen') }} as c using (fact_id)
where f.role = 'indicator'
