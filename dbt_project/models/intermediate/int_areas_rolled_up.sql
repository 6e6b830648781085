-- The rollup of every county, city and province with figures below it, per indicator, whether or not
-- the area has its own report that year (area_indicator_year chooses; reconciliation compares).
-- A rollup sums its sources: the reports directly beneath it, a report standing in for everything
-- below it (a county's own report, not its schools). Additive indicators are summed over the
-- sources that state them; a whole (教职工) not where a source states its part (专任教师) alone.
-- Rates and ratios are recomputed only over sources that state both numerator and denominator
-- (catalog rollup_numerator / rollup_denominator), never averaged, never from a numerator and a
-- denominator of different sources; a rate also only over sources whose own
-- stated rate agrees with their parts. Other rates are not rolled up.
with facts as (
    select c.entity_id, c.entity_level, c.period_year, c.indicator, c.value,
        e.entity_name, e.county_code, e.city_code, e.province_code
    from {{ ref('int_facts_chosen') }} as c
    join {{ ref('int_entities_resolved') }} as e using (entity_id)
),

reported as (
    select distinct entity_id as area_code, period_year from facts where entity_level <> 'school'
),

-- Which rollup each fact feeds: its county's, city's and province's, unless an area between it and
-- that one has its own report that year (then that report is the source).
sources as (
    select 'county' as level, county_code as area_code, entity_id as child_code, f.*
    from facts as f
    where entity_level = 'school' and county_code is not null
    union all
    select 'city', city_code, coalesce(county_code, entity_id), f.*
    from facts as f
    where city_code is not null
        and (entity_level = 'county'
             or (entity_level = 'school' and (county_code is null
                 or not exists (select 1 from reported as r where r.area_code = f.county_code and r.period_year = f.period_year))))
    union all
    select 'province', province_code, coalesce(city_code, county_code, entity_id), f.*
    from facts as f
    where province_code is not null and entity_level in ('school', 'county', 'city')
        and (entity_level = 'city' or city_code is null
             or not exists (select 1 from reported as r where r.area_code = f.city_code and r.period_year = f.period_year))
        and (entity_level in ('city', 'county') or county_code is null
             or not exists (select 1 from reported as r where r.area_code = f.county_code and r.period_year = f.period_year))
),

indicators as (
    select * from {{ ref('indicators') }}
),

stated as (
    select distinct level, area_code, period_year, indicator, entity_id from sources
),

-- Per rolled-up indicator, the sources it uses and what each contributes. Each is summed over the
-- sources that state it, except a whole (教职工) that a source states a part of (专任教师) without
-- stating the whole: then the whole covers less than its part, the two would not compare, and the
-- row carries the part alone. Every part left has its sources among its whole's, so the rollup
-- keeps part <= whole by construction (each source does).
additive_parts as (
    select s.level, s.area_code, s.period_year, s.indicator, s.entity_id, s.entity_level, s.entity_name, s.child_code,
        s.value as numerator, cast(null as double) as denominator
    from sources as s
    join indicators as i on i.code = s.indicator
    where i.additive
        and not exists (
            select 1
            from indicators as part
            join stated as p
                on p.indicator = part.code and p.level = s.level
                and p.area_code = s.area_code and p.period_year = s.period_year
            where part.subset_of = s.indicator
                and not exists (
                    select 1 from stated as w
                    where w.indicator = s.indicator and w.entity_id = p.entity_id and w.level = s.level
                        and w.area_code = s.area_code and w.period_year = s.period_year))
),

ratio_parts as (
    select n.level, n.area_code, n.period_year, f.code as indicator, n.entity_id, n.entity_level, n.entity_name, n.child_code,
        n.value as numerator, d.value as denominator
    from indicators as f
    join sources as n on n.indicator = f.rollup_numerator
    join sources as d
        on d.indicator = f.rollup_denominator and d.level = n.level and d.area_code = n.area_code
        and d.period_year = n.period_year and d.entity_id = n.entity_id
    -- A rate's parts belong together only when the source states the rate too and they agree with
    -- it: 新乡市 states 初次就业 6187 and graduates 12242 but no employment rate, and 50.5% is none.
    left join sources as stated
        on stated.indicator = f.code and stated.level = n.level and stated.area_code = n.area_code
        and stated.period_year = n.period_year and stated.entity_id = n.entity_id
    where f.rollup_numerator is not null and f.rollup_numerator <> '' and d.value > 0
        and (f.kind <> 'rate' or abs(f.rollup_scale * n.value / d.value - stated.value) <= {{ var('rate_tolerance_pct') }})
),

parts as (
    select * from additive_parts
    union all
    select * from ratio_parts
),

-- The children an area is made of: the divisions the admin seed lists beneath it (placeholders such
-- as 市辖区 aside), and any other child that has figures (a school placed directly under a city).
children_known as (
    select d.level, d.area_code, y.period_year, d.child_code, d.child_name
    from (
        select 'city' as level, city_code as area_code, admin_code as child_code, name as child_name
        from {{ ref('admin_divisions') }}
        where level = 'county' and name not in ('市辖区', '县')
        union all
        select 'province', province_code, admin_code, name
        from {{ ref('admin_divisions') }}
        where level = 'city' and not regexp_matches(name, '(市辖区|县|直辖县级行政区划)$')
    ) as d
    join (select distinct level, area_code, period_year from sources) as y using (level, area_code)
    union
    select s.level, s.area_code, s.period_year, s.child_code,
        coalesce(division.name, any_value(s.entity_name)) as child_name
    from sources as s
    left join {{ ref('admin_divisions') }} as division on division.admin_code = s.child_code
    group by s.level, s.area_code, s.period_year, s.child_code, division.name
),

children_counted as (
    select level, area_code, period_year, count(*) as children_total
    from children_known
    group by all
),

rolled as (
    select
        p.level, p.area_code, p.period_year, p.indicator,
        case when i.additive then sum(p.numerator)
             when sum(p.denominator) > 0 then round(any_value(i.rollup_scale) * sum(p.numerator) / sum(p.denominator), 2)
        end as value,
        count(distinct p.child_code) as children_covered,
        string_agg(distinct p.entity_id, ',' order by p.entity_id) as source_ids,
        -- what the rollup is made of, in words: "1 county report and 2 schools"
        count(distinct p.entity_id) filter (where p.entity_level = 'school') as school_sources,
        count(distinct p.entity_id) filter (where p.entity_level = 'county') as county_sources,
        count(distinct p.entity_id) filter (where p.entity_level = 'city') as city_sources
    from parts as p
    join indicators as i on i.code = p.indicator
    group by p.level, p.area_code, p.period_year, p.indicator, i.additive
),

missing as (
    select r.level, r.area_code, r.period_year, r.indicator,
        string_agg(k.child_name, '、' order by k.child_code) as children_missing
    from rolled as r
    join children_known as k using (level, area_code, period_year)
    where not exists (
        select 1 from parts as p
        where p.level = r.level and p.area_code = r.area_code and p.period_year = r.period_year
            and p.indicator = r.indicator and p.child_code = k.child_code)
    group by all
)

select
    r.level,
    r.area_code,
    r.period_year,
    r.indicator,
    r.value,
    cast(r.children_covered as integer) as children_covered,
    cast(t.children_total as integer) as children_total,
    m.children_missing,
    r.source_ids,
    concat_ws(' and ',
        case when r.city_sources > 0 then r.city_sources || ' city report' || case when r.city_sources > 1 then 's' else '' end end,
        case when r.county_sources > 0 then r.county_sources || ' county report' || case when r.county_sources > 1 then 's' else '' end end,
        case when r.school_sources > 0 then r.school_sources || ' school' || case when r.school_sources > 1 then 's' else '' end end
    ) as rollup_of
from rolled as r
join children_counted as t using (level, area_code, period_year)
left join missing as m using (level, area_code, period_year, indicator)
where r.value is not null
