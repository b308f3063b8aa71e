/**
 * Work queued per run and written one batch at a time per run (the batches of different runs go
 * out in parallel): an item of a run with no write in flight goes out at once, alone; items that
 * come meanwhile wait for it and then go out together. `take` picks the next batch from a run's
 * queue (the rest waits for the following one); `write` settles every item of a batch itself and
 * does not throw. The lane of a run is dropped once its queue is empty.
 */
export class RunLanes<W> {
  readonly #lanes = new Map<string, { busy: boolean; queue: W[] }>();

  constructor(
    private readonly take: (queue: readonly W[]) => { batch: W[]; later: W[] },
    private readonly write: (runId: string, batch: readonly W[]) => Promise<void>,
  ) {}

  add(runId: string, item: W): void {
    let lane = this.#lanes.get(runId);
    if (!lane) this.#lanes.set(runId, (lane = { busy: false, queue: [] }));
    lane.queue.push(item);
    if (!lane.busy) void this.#drain(runId, lane);
  }

  async #drain(runId: string, lane: { busy: boolean; queue: W[] }): Promise<void> {
    lane.busy = true;
    try {
      while (lane.queue.length > 0) {
        const { batch, later } = this.take(lane.queue);
        lane.queue = later;
        await this.write(runId, batch);
      }
    } finally {
      lane.busy = false;
      if (lane.queue.length === 0) this.#lanes.delete(runId);
      else void this.#drain(runId, lane);
    }
  }
}
