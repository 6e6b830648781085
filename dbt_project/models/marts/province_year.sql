-- One row per province (省) and year: its own reported figures, or a rollup of its cities (basis says which).
{{ area_year_mart('province') }}
