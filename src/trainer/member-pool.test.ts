import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initBackend } from '../core/backend';
import { silentLogger } from '../core/log';
import type { FitInput } from '../core/members/kind';
import { memberKind } from '../core/members/kinds';
import { memberSpec, readExampleCsv, trainingConfig } from '../core/training/test-support';
import { MemberPool } from './member-pool';

const iris = readExampleCsv('iris', { task: 'classification', standardize: true });

function input(seed: number): FitInput {
  return {
    spec: memberSpec({ hidden: [8] }),
    train: iris,
    training: trainingConfig({ epochs: 5, batchSize: 16, learningRate: 0.01 }),
    seed,
    logger: silentLogger,
  };
}

/** The fitted member's predictions on the training rows. */
async function predictions(fit: Promise<Awaited<ReturnType<MemberPool['fit']>>>) {
  const { model } = await fit;
  try {
    return model.predict(iris);
  } finally {
    model.dispose();
  }
}

describe('a member pool of two', () => {
  const pool = new MemberPool(2, 'wasm');
  let startedBeforeAnyFit: number;
  let startedAfterOneFit: number;
  let pooled: Float32Array;
  let here: Float32Array;

  before(async () => {
    await initBackend('wasm', silentLogger);
    startedBeforeAnyFit = pool.workersStarted;
    pooled = await predictions(pool.fit('mlp', input(3)));
    startedAfterOneFit = pool.workersStarted;
    await Promise.all([
      predictions(pool.fit('mlp', input(4))),
      predictions(pool.fit('mlp', input(5))),
    ]);
    here = await predictions(memberKind('mlp').fit(input(3)));
  });

  after(() => pool.close());

  test('starts no worker before its first fit', () => {
    assert.equal(startedBeforeAnyFit, 0);
  });

  test('starts one worker for one fit', () => {
    assert.equal(startedAfterOneFit, 1);
  });

  test('starts its second worker when two fits are in flight', () => {
    assert.equal(pool.workersStarted, 2);
  });

  test('gives the predictions of the same fit on this thread', () => {
    const largest = pooled.reduce((m, v, i) => Math.max(m, Math.abs(v - here[i])), 0);
    assert.ok(largest < 1e-6, `${largest}`);
  });
});

/** What a fit ended with: its error's message, or "fitted" (the model is disposed). */
async function outcome(fit: Promise<Awaited<ReturnType<MemberPool['fit']>>>): Promise<string> {
  try {
    (await fit).model.dispose();
    return 'fitted';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A custom member whose module exits its thread (code 3) while it holds the pool's core. */
function exitingMember(): FitInput {
  const module = join(mkdtempSync(join(tmpdir(), 'member-pool-')), 'exits.mjs');
  writeFileSync(module, 'export default () => process.exit(3);\n');
  return { ...input(6), spec: memberSpec({ name: 'exits', model: 'custom', module }) };
}

// One core: a dead worker's hold that nobody ended would stop every later fit for good (the
// timeout turns that into a failure).
describe('a member pool of one core whose workers die', () => {
  const pool = new MemberPool(1, 'wasm');
  const outcomes: string[] = [];

  before(
    async () => {
      outcomes.push(await outcome(pool.fit('custom', exitingMember())));
      outcomes.push(await outcome(pool.fit('mlp', input(7))));
      const terminated = { ...input(8), training: trainingConfig({ epochs: 50, batchSize: 16 }) };
      terminated.onEpoch = () => void pool.workers[0]?.terminate();
      outcomes.push(await outcome(pool.fit('mlp', terminated)));
      outcomes.push(await outcome(pool.fit('mlp', input(9))));
    },
    { timeout: 300_000 },
  );

  after(() => pool.close());

  test('fails the fit whose module exits, naming the exit code and the member', () => {
    assert.match(
      outcomes[0],
      /^member worker stopped \(exit code 3\) while fitting member "exits"/,
    );
  });

  test('fits the next member on a fresh worker', () => {
    assert.equal(outcomes[1], 'fitted');
  });

  test('fails the fit whose worker is terminated during it', () => {
    assert.match(
      outcomes[2],
      /^member worker stopped \(exit code 1\) while fitting member "member"/,
    );
  });

  test('fits the member after that one too', () => {
    assert.equal(outcomes[3], 'fitted');
  });

  test('started a worker for each fit after a worker died', () => {
    assert.equal(pool.workersStarted, 3);
  });
});
