-- Valid readings of every day ever ingested, kept incrementally by day: each run replaces the
-- days present in the current ingest (delete+insert on read_date) and keeps earlier days as they
-- were. The first run, or a full refresh, builds it from the current ingest alone.
{{ config(materialized='incremental', unique_key='read_date') }}

select
    read_at,
    read_date,
    entry_id,
    sgv,
    glucose_band,
    glucose_band = 'in_range' as in_range
from {{ ref('int_readings_banded') }}
