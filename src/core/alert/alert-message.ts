/** What every channel's message is built from: the outbox row's payload plus the key and the link. */
export interface AlertMessage {
  readonly idempotencyKey: string;
  readonly alert: string;
  readonly event: string;
  readonly runId: string | null;
  readonly stepKey: string | null;
  readonly at: string;
  readonly runUrl: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
  /** `sluice alerts test`: not a real event. */
  readonly test: boolean;
}

const TITLES: Record<string, string> = {
  run_failure: 'run failed',
  run_success: 'run succeeded',
  run_canceled: 'run canceled',
  step_failure: 'step failed after its retries',
  check_failure: 'asset check failed',
  tick_failure: 'tick failed',
  heartbeat_stale: 'heartbeat stale (process gone or hung)',
  run_long_running: 'run still running past its limit',
  schedule_late: 'schedule tick late or missed',
  freshness_violation: 'freshness or deadline violated',
  test: 'test message',
};

/** One line: `[sluice] promotion-failed: run failed (run 1a2b3c4d, step publish)`. Pure. */
export function alertSubject(message: AlertMessage): string {
  const what = TITLES[message.event] ?? message.event;
  const parts = [
    typeof message.detail.schedule === 'string' ? `schedule ${message.detail.schedule}` : null,
    typeof message.detail.sensor === 'string' ? `sensor ${message.detail.sensor}` : null,
    typeof message.detail.heartbeat === 'string' ? `${String(message.detail.process)} ${message.detail.heartbeat}` : null,
    message.runId ? `run ${message.runId.slice(0, 8)}` : null,
    message.stepKey ? `step ${message.stepKey}` : null,
    typeof message.detail.kind === 'string' && typeof message.detail.assetKey === 'string'
      ? `${message.detail.kind} of ${message.detail.assetKey}${typeof message.detail.partition === 'string' ? ` [${message.detail.partition}]` : ''}: ${String(message.detail.level)}${typeof message.detail.recovers === 'string' ? ' (recovered)' : ''}`
      : null,
    typeof message.detail.checkName === 'string' ? `check ${String(message.detail.assetKey)}/${message.detail.checkName} (${String(message.detail.severity)})` : null,
  ].filter((p): p is string => p !== null);
  return `[sluice] ${message.alert}: ${what}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The plain-text body (email): subject, when, link, key. Pure. */
export function alertText(message: AlertMessage): string {
  return [
    alertSubject(message),
    `at ${message.at}`,
    ...(message.runUrl ? [`run: ${message.runUrl}`] : []),
    ...(typeof message.detail.summary === 'string' ? [message.detail.summary] : []),
    ...(Array.isArray(message.detail.failedSteps) ? [`failed steps: ${(message.detail.failedSteps as string[]).join(', ')}`] : []),
    `idempotency key: ${message.idempotencyKey}`,
  ].join('\n');
}

/** A Slack incoming-webhook body: mrkdwn text with a link to the run page. Pure. */
export function slackBody(message: AlertMessage): { text: string } {
  const link = message.runUrl ? ` <${message.runUrl}|Open the run>` : '';
  const summary = typeof message.detail.summary === 'string' ? `: ${message.detail.summary}` : '';
  return { text: `${alertSubject(message)}${summary}${link}` };
}

/** The webhook's JSON body (its signature is over exactly these bytes). Pure. */
export function webhookBody(message: AlertMessage): string {
  return JSON.stringify({
    idempotencyKey: message.idempotencyKey,
    alert: message.alert,
    event: message.event,
    runId: message.runId,
    stepKey: message.stepKey,
    at: message.at,
    runUrl: message.runUrl,
    detail: message.detail,
    test: message.test,
  });
}
