-- One row per county (县区) and year: its own reported figures, or a rollup of its schools (basis says which).
{{ area_year_mart('county') }}
