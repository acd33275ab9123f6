/**
 * Lets more member workers than cores make progress together while at most `cores` of them
 * compute at any moment. Each worker holds a core for a slice of its training, then queues
 * again behind the others (first come, first served), so members share the cores in turns,
 * the way an operating system shares them between processes, but with the number computing at
 * once fixed. Five members on two cores then all finish in the time of two and a half, where
 * training them two at a time leaves one core idle while the fifth trains alone.
 *
 * A ticket lock over shared memory: `[0]` the next ticket, `[1]` how many holds have ended.
 * Ticket t may compute once fewer than `cores` of the tickets before it are still holding,
 * which is when t < ended + cores. Each side also has a flag of its own in shared memory, 1
 * while it has a ticket (waiting or computing), so that when its thread dies the thread that
 * started it can end the hold for it ({@link releaseFor}): a ticket never ended would stop
 * every later ticket for good.
 */
export class CoreShare {
  private readonly state: Int32Array;
  private readonly ticket: Int32Array;
  private heldSince: number | undefined;

  /**
   * A new share of `cores` cores, or one side of a share whose memory another thread made;
   * `hold` is this side's ticket flag (see {@link holdFlag}).
   */
  constructor(
    readonly cores: number,
    buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    hold: SharedArrayBuffer = CoreShare.holdFlag(),
  ) {
    this.state = new Int32Array(buffer);
    this.ticket = new Int32Array(hold);
  }

  /** A new side's ticket flag, to hand to the thread that will acquire with it. */
  static holdFlag(): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  }

  /** The shared memory, to hand to a worker. */
  get buffer(): SharedArrayBuffer {
    return this.state.buffer as SharedArrayBuffer;
  }

  /** Waits (blocking this thread) until a core is free, then holds it. */
  acquire(): void {
    if (Atomics.load(this.ticket, 0) === 1) return;
    // A thread terminated between these two lines would leave a ticket nobody ends. V8 stops
    // a terminated thread at its interrupt checks (function entries, loops), not inside this
    // straight line, and process.exit and out-of-memory stops come the same way.
    const ticket = Atomics.add(this.state, NEXT, 1);
    Atomics.store(this.ticket, 0, 1);
    for (;;) {
      const ended = Atomics.load(this.state, ENDED);
      if (ticket < ended + this.cores) break;
      Atomics.wait(this.state, ENDED, ended);
    }
    this.heldSince = performance.now();
  }

  /** Gives the core back (or the place in the queue), waking whoever is next. */
  release(): void {
    this.heldSince = undefined;
    this.end(this.ticket);
  }

  /**
   * Ends the hold of another side whose thread has stopped, if it had a ticket; true when it
   * did. The flag is cleared by whoever ends the hold, so a hold never ends twice. A side that
   * died while still waiting counts as ended before the holds ahead of it, so the next waiting
   * ticket gets in early: one more computes than `cores` until the next release.
   */
  releaseFor(hold: SharedArrayBuffer): boolean {
    return this.end(new Int32Array(hold));
  }

  /** Between two steps of work: after holding a core for a slice, queues again behind others. */
  yieldAfter(sliceMs: number): void {
    if (this.heldSince === undefined || performance.now() - this.heldSince < sliceMs) return;
    this.release();
    this.acquire();
  }

  private end(ticket: Int32Array): boolean {
    if (Atomics.exchange(ticket, 0, 0) === 0) return false;
    Atomics.add(this.state, ENDED, 1);
    Atomics.notify(this.state, ENDED);
    return true;
  }
}

const NEXT = 0;
const ENDED = 1;
