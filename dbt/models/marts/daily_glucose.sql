-- Per UTC day: readings, mean glucose, share of time in range (70-180 mg/dL), min and max.
select
    read_date as day,
    count(*)::int as readings,
    round(avg(sgv), 1)::float8 as mean_sgv,
    round(avg(case when in_range then 1 else 0 end), 4)::float8 as time_in_range,
    min(sgv)::int as min_sgv,
    max(sgv)::int as max_sgv
from {{ ref('fct_readings') }}
group by read_date
order by read_date
