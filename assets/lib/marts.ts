/**
 * The dbt assets the promotion waits for, by key (not by import, so the dbt part of the project
 * can be rebuilt from the dbt manifest without touching the promotion), and the mart tables that
 * `publish` copies out of main.
 */
export const DBT_MARTS = Object.freeze(['dbt/daily_glucose']);
export const MART_TABLES = Object.freeze(['daily_glucose']);
