-- Typed, cleaned and deduplicated CGM readings: valid sgv only, each timestamp once (first entry wins).
with source as (

    select * from {{ source('raw', 'entries') }}

),

valid as (

    select
        id as entry_id,
        date as epoch_ms,
        sgv,
        direction,
        device
    from source
    where type = 'sgv'
      and sgv between {{ var('valid_sgv_min') }} and {{ var('valid_sgv_max') }}

),

ranked as (

    select
        *,
        row_number() over (partition by epoch_ms order by entry_id) as occurrence
    from valid

)

select
    entry_id,
    epoch_ms,
    to_timestamp(epoch_ms / 1000.0) as read_at,
    (to_timestamp(epoch_ms / 1000.0) at time zone 'UTC')::date as read_date,
    sgv::integer as sgv,
    direction,
    device
from ranked
where occurrence = 1
