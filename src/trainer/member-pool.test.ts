import assert from 'node:assert/strict';
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
