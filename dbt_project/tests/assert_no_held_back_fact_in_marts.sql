-- A fact held back by a row-level rule must never be a value the marts show.
-- Dagster shows it as a check of int_facts_chosen (it reads two models, so it needs telling which).
{{ config(meta={'dagster': {'ref': {'name': 'int_facts_chosen'}}}) }}
select c.fact_id
from {{ ref('int_facts_chosen') }} as c
join {{ ref('int_facts_checked') }} as f using (fact_id)
where f.held_back
