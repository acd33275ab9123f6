import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { CoreShare } from './core-share';

// Each worker waits for the others, then takes the share `rounds` times. While it holds the
// share it counts itself into a gauge (slot 0 inside now, slot 1 the most ever inside), spins
// for 2 ms, and writes its number into the turn log (slot 2 the log's length, then the log).
const WORKER = `
const { workerData: d } = require('node:worker_threads');
const api = require(d.tsx);
const { CoreShare } = api.require('./core-share.ts', d.from);
const share = new CoreShare(d.cores, d.buffer);
const g = new Int32Array(d.gauge);
Atomics.add(g, 3, 1);
while (Atomics.load(g, 3) < d.threads) Atomics.wait(g, 3, Atomics.load(g, 3), 5);
for (let i = 0; i < d.rounds; i++) {
  share.acquire();
  const inside = Atomics.add(g, 0, 1) + 1;
  let most = Atomics.load(g, 1);
  while (inside > most && Atomics.compareExchange(g, 1, most, inside) !== most) {
    most = Atomics.load(g, 1);
  }
  g[4 + Atomics.add(g, 2, 1)] = d.id;
  const until = Date.now() + 2;
  while (Date.now() < until);
  Atomics.sub(g, 0, 1);
  share.yieldAfter(0);
}
share.release();
`;

interface Outcome {
  mostInside: number;
  turns: number[];
}

async function share(cores: number, threads: number, rounds: number): Promise<Outcome> {
  const core = new CoreShare(cores);
  const gauge = new Int32Array(new SharedArrayBuffer(4 * (4 + threads * rounds)));
  const common = { tsx: require.resolve('tsx/cjs/api'), from: __filename, cores, threads, rounds };
  const workers = Array.from(
    { length: threads },
    (_, id) =>
      new Worker(WORKER, {
        eval: true,
        workerData: { ...common, id, buffer: core.buffer, gauge: gauge.buffer },
      }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  return { mostInside: gauge[1], turns: Array.from(gauge.subarray(4, 4 + gauge[2])) };
}

test('four threads sharing two cores never have more than two computing at once', async () => {
  assert.equal((await share(2, 4, 30)).mostInside, 2);
});

test('a share of one core lets one thread compute at a time', async () => {
  assert.equal((await share(1, 3, 30)).mostInside, 1);
});

// A thread that holds on would take all its 20 turns in a row (57 repeats in 60 turns). Taking
// turns gives none, but a thread the machine leaves unscheduled between two turns can let
// another go twice; a loaded machine gives a few.
test('threads take the one core in turns: a thread rarely takes it twice running', async () => {
  const { turns } = await share(1, 3, 20);
  const repeats = turns.slice(1).filter((id, i) => id === turns[i]).length;

  assert.ok(repeats < turns.length / 4, `${repeats} repeats in ${turns.length} turns`);
});

// The first thread takes the only core and stops without giving it back; the second queues
// behind it. The thread that made the share ends the dead one's hold once it has exited.
const HOLDER = `
const { workerData: d, parentPort } = require('node:worker_threads');
const api = require(d.tsx);
const { CoreShare } = api.require('./core-share.ts', d.from);
const share = new CoreShare(1, d.buffer, d.hold);
share.acquire();
if (d.dies) process.exit(3);
share.release();
`;

const started: Worker[] = [];

function holder(core: CoreShare, hold: SharedArrayBuffer, dies: boolean): Promise<number> {
  const workerData = { tsx: require.resolve('tsx/cjs/api'), from: __filename, dies, hold };
  const worker = new Worker(HOLDER, {
    eval: true,
    workerData: { ...workerData, buffer: core.buffer },
  });
  started.push(worker);
  return new Promise((resolve) => worker.on('exit', resolve));
}

// A thread left waiting for good would keep the test process alive after its failure.
after(() => Promise.all(started.map((w) => w.terminate())));

describe('a thread that dies holding the only core', () => {
  const core = new CoreShare(1);
  const deadHold = CoreShare.holdFlag();
  let endedForTheDead: boolean;
  let endedTwice: boolean;
  let nextExit: number;

  before(
    async () => {
      await holder(core, deadHold, true);
      const next = holder(core, CoreShare.holdFlag(), false);
      endedForTheDead = core.releaseFor(deadHold);
      endedTwice = core.releaseFor(deadHold);
      nextExit = await next;
    },
    { timeout: 120_000 },
  );

  test('has its hold ended by the thread that started it', () => {
    assert.equal(endedForTheDead, true);
  });

  test('has its hold ended only once', () => {
    assert.equal(endedTwice, false);
  });

  test('lets the thread queued behind it compute and finish', () => {
    assert.equal(nextExit, 0);
  });
});

test('a thread that gave its core back leaves no hold to end for it', async () => {
  const core = new CoreShare(1);
  const hold = CoreShare.holdFlag();
  await holder(core, hold, false);

  assert.equal(core.releaseFor(hold), false);
});
