{#- A key made of several columns is unique (the marts' entity_name + period_year). -#}
{% test unique_key_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
