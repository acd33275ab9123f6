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
 * which is when t < ended + cores.
 */
export class CoreShare {
  private readonly state: Int32Array;
  private heldSince: number | undefined;

  /** A new share of `cores` cores, or one side of a share whose memory another thread made. */
  constructor(
    readonly cores: number,
    buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.state = new Int32Array(buffer);
  }

  /** The shared memory, to hand to a worker. */
  get buffer(): SharedArrayBuffer {
    return this.state.buffer as SharedArrayBuffer;
  }

  /** Waits (blocking this thread) until a core is free, then holds it. */
  acquire(): void {
    if (this.heldSince !== undefined) return;
    const ticket = Atomics.add(this.state, NEXT, 1);
    for (;;) {
      const ended = Atomics.load(this.state, ENDED);
      if (ticket < ended + this.cores) break;
      Atomics.wait(this.state, ENDED, ended);
    }
    this.heldSince = performance.now();
  }

  /** Gives the core back, waking whoever is next. */
  release(): void {
    if (this.heldSince === undefined) return;
    this.heldSince = undefined;
    Atomics.add(this.state, ENDED, 1);
    Atomics.notify(this.state, ENDED);
  }

  /** Between two steps of work: after holding a core for a slice, queues again behind others. */
  yieldAfter(sliceMs: number): void {
    if (this.heldSince === undefined || performance.now() - this.heldSince < sliceMs) return;
    this.release();
    this.acquire();
  }
}

const NEXT = 0;
const ENDED = 1;
