import { AsyncLocalStorage } from 'node:async_hooks';

/** The mutexes held by the current async call chain. */
const held = new AsyncLocalStorage<ReadonlySet<Mutex>>();

/**
 * A FIFO async mutex. `run` executes one function at a time, in call order. `isHeldHere` tells
 * whether the calling async chain is already inside `run` (re-entering would deadlock).
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  isHeldHere(): boolean {
    return held.getStore()?.has(this) ?? false;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    const inside = new Set(held.getStore() ?? []).add(this);
    return previous.then(() => held.run(inside, fn)).finally(release);
  }
}
