-- One row per prefecture-level city (地市) and year: its own reported figures, or a rollup of its counties
-- and schools (basis says which).
{{ area_year_mart('city') }}
