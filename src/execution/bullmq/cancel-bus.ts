import type { Redis } from 'ioredis';

/**
 * Broadcasts run cancellations to every process through Redis pub/sub. Storage already says the
 * run is CANCELING before a message is sent; the message only makes running steps stop sooner.
 */
export class CancelBus {
  private subscriber: Redis | undefined;

  constructor(
    private readonly connection: Redis,
    private readonly channel: string,
  ) {}

  static channelFor(prefix: string): string {
    return `${prefix}:cancel`;
  }

  publish(runId: string): Promise<number> {
    return this.connection.publish(this.channel, runId);
  }

  /** Calls `onCancel(runId)` for every cancellation published from now on. */
  async subscribe(onCancel: (runId: string) => void): Promise<void> {
    this.subscriber = this.connection.duplicate();
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) onCancel(message);
    });
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
