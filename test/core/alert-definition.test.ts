import { describe, expect, it } from 'vitest';
import { defineAlert, email, slack, webhook } from '../../src/index.js';
import { channelId } from '../../src/core/alert/alert-channels.js';

describe('defineAlert', () => {
  it('returns frozen data with its channels, keeping only env variable names', () => {
    const alert = defineAlert({
      name: 'promotion-failed',
      on: ['run_failure', 'step_failure', 'run_failure'],
      select: 'group:promotion',
      channels: [webhook({ urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' }), slack({ webhookUrlEnv: 'SLACK_URL' }), email({ to: 'ops@example.com', smtpUrlEnv: 'SMTP_URL' })],
    });
    expect(alert).toMatchObject({ kind: 'alert', name: 'promotion-failed', on: ['run_failure', 'step_failure'], select: 'group:promotion' });
    expect(alert.channels.map(channelId)).toEqual(['webhook:HOOK_URL', 'slack:SLACK_URL', 'email:SMTP_URL']);
    expect(Object.isFrozen(alert)).toBe(true);
    expect(alert.channels[2]).toEqual({ type: 'email', to: ['ops@example.com'], smtpUrlEnv: 'SMTP_URL', from: undefined });
  });

  it('takes the events found by watching state, with their thresholds (schedule lateness defaults to 60 s)', () => {
    const alert = defineAlert({ name: 'sla', on: ['run_long_running', 'schedule_late', 'freshness_violation'], longRunningMinutes: 90, channels: [webhook({ urlEnv: 'HOOK_URL' })] });
    expect(alert).toMatchObject({ on: ['run_long_running', 'schedule_late', 'freshness_violation'], longRunningMinutes: 90, scheduleLateSeconds: 60 });
  });

  it('refuses an unknown event, no channels, a duplicate channel and a bad name, saying what to use', () => {
    const hook = webhook({ urlEnv: 'HOOK_URL' });
    expect(() => defineAlert({ name: 'a', on: ['run_fail' as never], channels: [hook] })).toThrow(/alert "a": unknown event "run_fail": use run_failure, run_success/);
    expect(() => defineAlert({ name: 'a', on: ['run_long_running'], channels: [hook] })).toThrow(/alert "a": run_long_running needs longRunningMinutes: a positive number of minutes/);
    expect(() => defineAlert({ name: 'a', on: ['run_failure'], channels: [hook], longRunningMinutes: 5 })).toThrow(/longRunningMinutes is given but on does not list run_long_running/);
    expect(() => defineAlert({ name: 'a', on: ['schedule_late'], channels: [hook], scheduleLateSeconds: -1 })).toThrow(/scheduleLateSeconds must be a positive number of seconds \(got -1\)/);
    expect(() => defineAlert({ name: 'a', on: [], channels: [hook] })).toThrow(/on must list events/);
    expect(() => defineAlert({ name: 'a', on: ['run_failure'], channels: [] })).toThrow(/channels must list at least one of webhook/);
    expect(() => defineAlert({ name: 'a', on: ['run_failure'], channels: [hook, webhook({ urlEnv: 'HOOK_URL' })] })).toThrow(/channel webhook:HOOK_URL is listed twice/);
    expect(() => defineAlert({ name: 'a b', on: ['run_failure'], channels: [hook] })).toThrow(/invalid alert name "a b"/);
    expect(() => defineAlert({ name: 'a', on: ['run_failure'], channels: [{ type: 'pager' } as never] })).toThrow(/built by webhook\(\), slack\(\) or email\(\)/);
  });

  it('refuses a channel given a secret value instead of an env variable name, and a bad address', () => {
    expect(() => webhook({ urlEnv: 'https://hooks.example.com/x' })).toThrow(/webhook\(\): urlEnv must be the NAME of an environment variable/);
    expect(() => slack({ webhookUrlEnv: '' })).toThrow(/slack\(\): webhookUrlEnv must be the NAME/);
    expect(() => email({ to: 'not-an-address', smtpUrlEnv: 'SMTP_URL' })).toThrow(/email\(\): to must be an email address/);
    expect(() => email({ to: [], smtpUrlEnv: 'SMTP_URL' })).toThrow(/email\(\): to must be/);
    expect(() => email({ to: 'a@b.c', smtpUrlEnv: 'SMTP_URL', from: 'nobody' })).toThrow(/email\(\): from must be an address/);
  });
});
