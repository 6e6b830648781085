-- A fact held back by a row-level rule must never be a value the marts show.
select c.fact_id
from {{ ref('int_facts_chosen') }} as c
join {{ ref('int_facts_checked') }} as f using (fact_id)
where f.held_back
