/**
 * A FIFO lock over PGlite's single connection. Held from acquireConnection to releaseConnection,
 * so the statements of one transaction are never interleaved with another caller's.
 */
export class ConnectionMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Resolves once the caller holds the lock. */
  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
