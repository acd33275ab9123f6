import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SerialQueue } from './queue';

/** A promise with its resolve, to finish work items when the test says. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('items run one at a time, in the order they were added', async () => {
  const log: string[] = [];
  const gates = new Map(['a', 'b', 'c'].map((k) => [k, deferred()]));
  const queue = new SerialQueue<string>(async (item) => {
    log.push(`start ${item}`);
    await gates.get(item)?.promise;
    log.push(`end ${item}`);
  });
  ['a', 'b', 'c'].forEach((item) => queue.add(item));

  assert.deepEqual(queue.queued, ['b', 'c']);
  gates.get('a')?.resolve();
  gates.get('b')?.resolve();
  gates.get('c')?.resolve();
  await new Promise((r) => setImmediate(r));

  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('a removed item never runs, and the running one cannot be removed', async () => {
  const ran: string[] = [];
  const gate = deferred();
  const queue = new SerialQueue<string>(async (item) => {
    ran.push(item);
    await gate.promise;
  });
  queue.add('a');
  queue.add('b');

  assert.equal(queue.remove('a'), false);
  assert.equal(queue.remove('b'), true);
  gate.resolve();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ran, ['a']);
});

test('a failing item is reported and the next one still runs', async () => {
  const failed: string[] = [];
  const ran: string[] = [];
  const queue = new SerialQueue<string>(
    async (item) => {
      ran.push(item);
      if (item === 'bad') throw new Error('broken config');
    },
    (item) => failed.push(item),
  );
  queue.add('bad');
  queue.add('good');
  await new Promise((r) => setImmediate(r));

  assert.deepEqual(failed, ['bad']);
  assert.deepEqual(ran, ['bad', 'good']);
});
