import { defineAlert, email, slack, webhook } from 'sluice';

/**
 * Tells someone when the morning promotion fails: a failed run, a step still failing after its
 * retries, or a failed quality check, anywhere in what daily_promotion runs, a daily_promotion
 * tick that failed to launch its run at all or was not launched on time (schedule_late), a run
 * still going after 45 minutes, or `publish` missing its 06:30 London deadline (freshness_violation,
 * raised while the run is still going, and once more when it lands). Each channel is
 * active only when its environment variable is set in the daemon's environment (unset: nothing is
 * queued for it), so a fresh checkout sends nothing:
 *   SLUICE_ALERT_WEBHOOK_URL (+ SLUICE_ALERT_WEBHOOK_SECRET to sign), SLUICE_ALERT_SLACK_URL,
 *   SLUICE_ALERT_SMTP_URL (smtp://user:pass@host:587). `sluice alerts test promotion_failed` tries them.
 */
export const promotionFailed = defineAlert({
  name: 'promotion_failed',
  on: ['run_failure', 'step_failure', 'check_failure', 'tick_failure', 'schedule_late', 'run_long_running', 'freshness_violation'],
  longRunningMinutes: 45,
  select: '+key:promote_dev_to_main+',
  channels: [
    webhook({ urlEnv: 'SLUICE_ALERT_WEBHOOK_URL', secretEnv: 'SLUICE_ALERT_WEBHOOK_SECRET' }),
    slack({ webhookUrlEnv: 'SLUICE_ALERT_SLACK_URL' }),
    email({ to: 'data-oncall@example.com', smtpUrlEnv: 'SLUICE_ALERT_SMTP_URL' }),
  ],
  description: 'Any failure in the daily promotion pipeline (raw/entries through promote_dev_to_main to publish), a late tick, a run over 45 minutes, or publish missing its 06:30 deadline.',
});
