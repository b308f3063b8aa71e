import type { Redis } from 'ioredis';

/** The channel a submitter publishes on after writing a QUEUED run, so daemons start it at once. */
export function runsChannel(prefix: string): string {
  return `${prefix}:runs`;
}

export function announceQueuedRun(redis: Redis, prefix: string, runId: string): Promise<number> {
  return redis.publish(runsChannel(prefix), runId);
}

/** Calls `onQueued` for every announced run; returns the subscriber connection to close. */
export async function onQueuedRun(redis: Redis, prefix: string, onQueued: (runId: string) => void): Promise<Redis> {
  const subscriber = redis.duplicate();
  subscriber.on('error', () => {});
  subscriber.on('message', (channel: string, runId: string) => {
    if (channel === runsChannel(prefix)) onQueued(runId);
  });
  await subscriber.subscribe(runsChannel(prefix));
  return subscriber;
}
