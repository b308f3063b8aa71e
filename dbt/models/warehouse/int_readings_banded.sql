-- Each reading with its glucose band. Ephemeral: never built, inlined as a CTE where it is used.
{{ config(materialized='ephemeral') }}

select
    entry_id,
    read_at,
    read_date,
    sgv,
    case
        when sgv < {{ var('target_low') }} then 'low'
        when sgv > {{ var('target_high') }} then 'high'
        else 'in_range'
    end as glucose_band
from {{ ref('stg_entries') }}
