/**
 * The environment dbt runs with: the given one, with dbt's anonymous usage tracking off unless the
 * user set it (an orchestrator's dbt calls are not the user's to report, and on a machine without
 * network each tracking call waits on a timeout).
 */
export function dbtEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', ...env };
}
