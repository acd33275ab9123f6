import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { silentLogger } from '../src/core/log';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

/** Small configs of each new method, with a member that fails to build among them. */
const CONFIGS: [string, string][] = [
  ['gradient-boosting', '{ "name": "m", "model": "mlp", "hidden": [8], "count": 2 }'],
  [
    'stacking',
    '{ "name": "lin", "model": "linear" }, { "name": "t", "model": "tree", "maxDepth": 2 }',
  ],
  ['adaboost', '{ "name": "lin", "model": "linear", "count": 2 }'],
  [
    'voting',
    '{ "name": "c", "model": "custom", "module": "nothing.mjs" }, { "name": "l", "model": "linear" }',
  ],
];

test('training with the new methods and member kinds leaves no tensor behind', async () => {
  const dir = workspace();
  writeFileSync(join(dir, 'nothing.mjs'), 'export default () => undefined;\n');
  const train = async (): Promise<void> => {
    for (const [method, members] of CONFIGS) {
      const text = `{
        "data": { "train": "data/iris.csv", "target": "species" },
        "members": [${members}],
        "training": { "epochs": 5, "batchSize": 16, "learningRate": 0.05, "seed": 1 },
        "ensemble": { "method": "${method}", "stacking": { "folds": 2 } }
      }`.replace(
        ', "stacking": { "folds": 2 }',
        method === 'stacking' ? ', "stacking": { "folds": 2 }' : '',
      );
      const configPath = writeConfig(dir, `${method}.ensemble.json`, text);
      const job = {
        kind: 'train' as const,
        configPath,
        storeRoot: join(dir, 'store'),
        backend: 'wasm' as const,
      };
      await runJob(job, { emit: () => undefined, logger: silentLogger });
    }
  };
  // The first pass sets up the backend and whatever TF.js caches for good.
  await train();
  const before = tf.memory().numTensors;
  await train();

  assert.equal(tf.memory().numTensors, before);
});
