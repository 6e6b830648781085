{#- Long (keys, indicator, value) → one column per catalog indicator, in catalog order. -#}
{% macro pivot_indicators(relation_sql, keys) -%}
pivot ({{ relation_sql }})
on indicator in ({% for code in indicator_codes() %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %})
using first(value)
group by {{ keys | join(', ') }}
{%- endmacro %}

{#- Counts (catalog kind count) are whole numbers: BIGINT, so exports show 4403, not 4403.0. -#}
{% macro indicator_columns(prefix='w.') -%}
{% for code in indicator_codes() %}{% if code in count_codes() %}cast({{ prefix }}"{{ code }}" as bigint) as "{{ code }}"{% else %}{{ prefix }}"{{ code }}"{% endif %}{% if not loop.last %},
    {% endif %}{% endfor %}
{%- endmacro %}
