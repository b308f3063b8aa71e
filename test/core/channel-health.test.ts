import { describe, expect, it } from 'vitest';
import { channelHealth } from '../../src/core/alert/channel-health.js';

describe('channelHealth', () => {
  it('judges a channel by its newest delivery: sent ok, given up failing, failed once retrying, untried pending, none idle', () => {
    expect(channelHealth({ status: 'SENT', attempts: 3 })).toBe('ok');
    expect(channelHealth({ status: 'FAILED', attempts: 8 })).toBe('failing');
    expect(channelHealth({ status: 'PENDING', attempts: 2 })).toBe('retrying');
    expect(channelHealth({ status: 'PENDING', attempts: 0 })).toBe('pending');
    expect(channelHealth(undefined)).toBe('idle');
  });
});
