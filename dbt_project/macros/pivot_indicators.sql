{#- Long (keys, indicator, value) → one column per catalog indicator, in catalog order. -#}
{% macro pivot_indicators(relation_sql, keys) -%}
pivot ({{ relation_sql }})
on indicator in ({% for code in indicator_codes() %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %})
using first(value)
group by {{ keys | join(', ') }}
{%- endmacro %}

{% macro indicator_columns(prefix='w.') -%}
{% for code in indicator_codes() %}{{ prefix }}"{{ code }}"{% if not loop.last %},
    {% endif %}{% endfor %}
{%- endmacro %}
