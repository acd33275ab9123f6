import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { TrainerEvent } from '../../protocol/events';
import { TERMINAL_EVENTS } from './progress';

const NEWLINE = 0x0a;

/**
 * Reads a growing events.jsonl from where it last stopped. Only whole lines are read: a last
 * line still being written (or torn by a crash) waits for its newline. A whole line that does
 * not parse is passed to `onDamaged` and skipped, so one bad line cannot stop a run's display.
 */
export class EventTailReader {
  private offset = 0;

  constructor(
    readonly path: string,
    private readonly onDamaged: (line: string) => void = () => undefined,
  ) {}

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }

  /** The events appended since the last read (none when the file does not exist yet). */
  read(): TrainerEvent[] {
    const fresh = this.readNewBytes();
    const end = fresh.lastIndexOf(NEWLINE);
    if (end < 0) return [];

    this.offset += end + 1;
    const lines = fresh.subarray(0, end).toString('utf8').split('\n');
    return lines.flatMap((line) => this.parse(line));
  }

  private readNewBytes(): Buffer {
    if (!existsSync(this.path)) return Buffer.alloc(0);
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return Buffer.alloc(0);
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  private parse(line: string): TrainerEvent[] {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as TrainerEvent];
    } catch {
      this.onDamaged(line);
      return [];
    }
  }
}

/** How a followed run ended: a terminal event, or its process died without one. */
export type FollowEnd = 'event' | 'process-gone' | 'stopped';

/**
 * Follows a run another process is training (after a window reload, or a run started from the
 * CLI): polls its events.jsonl every `intervalMs` and hands each new event to `onEvent` until
 * a terminal event, or until `isAlive` says the trainer is gone and no more lines came.
 */
export class EventFollower {
  private timer: NodeJS.Timeout | undefined;
  private readonly reader: EventTailReader;

  constructor(
    path: string,
    private readonly options: {
      onEvent: (event: TrainerEvent) => void;
      onEnd: (how: FollowEnd) => void;
      isAlive: () => boolean;
      onDamaged?: (line: string) => void;
      intervalMs?: number;
    },
  ) {
    this.reader = new EventTailReader(path, options.onDamaged);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.options.intervalMs ?? 500);
    this.poll();
  }

  stop(): void {
    this.finish('stopped');
  }

  /** Reads what is new; exposed so a file-change notice can read at once. */
  poll(): void {
    if (!this.timer) return;
    // Asked before reading, so lines written just before the process exited are still read.
    const alive = this.options.isAlive();
    for (const event of this.reader.read()) {
      this.options.onEvent(event);
      if (isTerminal(event)) return this.finish('event');
    }
    if (!alive) this.finish('process-gone');
  }

  private finish(how: FollowEnd): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.options.onEnd(how);
  }
}

function isTerminal(event: TrainerEvent): boolean {
  return TERMINAL_EVENTS.has(event.type);
}
