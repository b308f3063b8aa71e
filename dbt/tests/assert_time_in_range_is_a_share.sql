-- Time in range is a share of the day's readings: between 0 and 1.
select day, time_in_range
from {{ ref('daily_glucose') }}
where time_in_range < 0 or time_in_range > 1
