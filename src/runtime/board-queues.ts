import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { poolQueueName, STEPS_QUEUE } from '../execution/bullmq/step-job.js';
import type { Settings } from './settings.js';

/**
 * BullMQ handles on the step queues (the shared one and one per configured pool) for bull-board,
 * on the given connection. Only the composition root creates them: the web layer never imports
 * bullmq.
 */
export function boardQueues(settings: Settings, redis: Redis): { queues: Queue[]; close: () => Promise<void> } {
  const names = [STEPS_QUEUE, ...Object.keys(settings.pools).map(poolQueueName)];
  const queues = names.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: settings.redisPrefix });
    queue.on('error', () => {});
    return queue;
  });
  return { queues, close: async () => void (await Promise.all(queues.map((q) => q.close()))) };
}
