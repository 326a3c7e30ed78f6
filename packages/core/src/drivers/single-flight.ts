/**
 * One run per key at a time: callers that ask for a key while its run is under way share that
 * run's outcome, success or failure; the next call after it ends starts a new run. A driver
 * uses it so that spawns of one image at once fetch the image once.
 */
export class SingleFlight<K, V> {
  private readonly running = new Map<K, Promise<V>>();

  run(key: K, fn: () => Promise<V>): Promise<V> {
    let p = this.running.get(key);
    if (!p) {
      p = fn().finally(() => this.running.delete(key));
      this.running.set(key, p);
    }
    return p;
  }
}
