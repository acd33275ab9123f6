import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TrainerEvent } from '../../protocol/events';
import { EventFollower, EventTailReader } from './tail';

const base = { runId: 'r1', time: 1 };
const epoch = (n: number): TrainerEvent => ({
  ...base,
  type: 'member-epoch',
  member: 'mlp-ü',
  epoch: n,
  epochs: 3,
  loss: 1 / n,
  learningRate: 0.01,
});
const line = (event: TrainerEvent): string => `${JSON.stringify(event)}\n`;

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'el-tail-')), 'events.jsonl');
}

test('reads only what was appended since the last read', () => {
  const path = tempFile();
  const reader = new EventTailReader(path);
  assert.deepEqual(reader.read(), []);

  writeFileSync(path, line(epoch(1)) + line(epoch(2)));
  assert.deepEqual(
    reader.read().map((e) => e.type === 'member-epoch' && e.epoch),
    [1, 2],
  );
  appendFileSync(path, line(epoch(3)));
  assert.deepEqual(
    reader.read().map((e) => e.type === 'member-epoch' && e.epoch),
    [3],
  );
});

test('a torn last line waits for its newline, counting multi-byte characters right', () => {
  const path = tempFile();
  const reader = new EventTailReader(path);
  const whole = line(epoch(1));
  const cut = whole.indexOf('ü') + 1;
  writeFileSync(path, whole.slice(0, cut));

  assert.deepEqual(reader.read(), []);
  appendFileSync(path, whole.slice(cut));
  const [event] = reader.read();
  assert.equal(event.type === 'member-epoch' && event.member, 'mlp-ü');
  assert.equal(reader.position, Buffer.byteLength(whole));
});

test('a damaged whole line is reported and skipped', () => {
  const path = tempFile();
  const damaged: string[] = [];
  const reader = new EventTailReader(path, (l) => damaged.push(l));
  writeFileSync(path, `{"type":\n${line(epoch(2))}`);

  assert.equal(reader.read().length, 1);
  assert.deepEqual(damaged, ['{"type":']);
});

test('a follower stops at the terminal event of a growing file', async () => {
  const path = tempFile();
  const seen: string[] = [];
  const ended = new Promise<string>((resolve) => {
    const follower = new EventFollower(path, {
      onEvent: (e) => seen.push(e.type),
      onEnd: resolve,
      isAlive: () => true,
      intervalMs: 10,
    });
    follower.start();
  });
  writeFileSync(path, line(epoch(1)));
  setTimeout(() => appendFileSync(path, line({ ...base, type: 'run-cancelled' })), 30);

  assert.equal(await ended, 'event');
  assert.deepEqual(seen, ['member-epoch', 'run-cancelled']);
});

test('a follower ends when the trainer is gone, after reading its last lines', async () => {
  const path = tempFile();
  writeFileSync(path, line(epoch(1)) + line(epoch(2)));
  const seen: TrainerEvent[] = [];
  const how = await new Promise<string>((resolve) => {
    new EventFollower(path, {
      onEvent: (e) => seen.push(e),
      onEnd: resolve,
      isAlive: () => false,
      intervalMs: 10,
    }).start();
  });

  assert.equal(how, 'process-gone');
  assert.equal(seen.length, 2);
});
