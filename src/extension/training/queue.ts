/**
 * Runs work one item at a time, in the order asked. Members train one after another inside a
 * run, and two runs at once would only halve each other's speed on the same cores, so several
 * Train requests wait their turn here.
 */
export class SerialQueue<T> {
  private readonly waiting: T[] = [];
  private running: T | undefined;

  /** `work` runs each item; its failure is `onError`'s to report and never stalls the queue. */
  constructor(
    private readonly work: (item: T) => Promise<void>,
    private readonly onError: (item: T, error: unknown) => void = () => undefined,
  ) {}

  /** The item being worked on now. */
  get current(): T | undefined {
    return this.running;
  }

  /** Items waiting their turn, next first. */
  get queued(): readonly T[] {
    return this.waiting;
  }

  add(item: T): void {
    this.waiting.push(item);
    if (!this.running) void this.next();
  }

  /** Takes a waiting item out of the queue; false when it is not waiting (running or gone). */
  remove(item: T): boolean {
    const index = this.waiting.indexOf(item);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  private async next(): Promise<void> {
    const item = this.waiting.shift();
    this.running = item;
    if (item === undefined) return;

    try {
      await this.work(item);
    } catch (error) {
      this.onError(item, error);
    }
    this.running = undefined;
    await this.next();
  }
}
