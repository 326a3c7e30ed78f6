/**
 * Sends many small requests as few calls, the way a database groups commits: a request made
 * while `maxInFlight` calls are already out waits for one of them to come back, then leaves
 * with everything else that queued meanwhile. An idle batcher sends at the end of the
 * current tick, so requests made together leave together and nothing waits on a timer.
 * The busier the caller, the bigger the batches and the fewer the round trips per request.
 */
export class CallBatcher<I, O> {
  private queue: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Makes one call for `items`; its answer holds one outcome per item, in order. */
    private readonly send: (items: I[]) => Promise<O[]>,
    private readonly options: { maxInFlight: number; maxBatch: number } = { maxInFlight: 1, maxBatch: 200 },
  ) {
    if (options.maxInFlight < 1 || options.maxBatch < 1) throw new RangeError('CallBatcher needs maxInFlight and maxBatch of at least 1.');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.sendBatch(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async sendBatch(batch: CallBatcher<I, O>['queue']): Promise<void> {
    let outcomes: O[];
    try {
      outcomes = await this.send(batch.map((b) => b.item));
      if (outcomes.length !== batch.length) throw new Error(`A batched call answered ${outcomes.length} outcomes for ${batch.length} requests.`);
    } catch (err) {
      for (const b of batch) b.reject(err);
      return;
    }
    for (const [i, b] of batch.entries()) b.resolve(outcomes[i]!);
  }
}
