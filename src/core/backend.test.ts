import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend';
import { UserError } from './errors';
import type { LogLevel } from './log';
import { tempHome } from './native-backend/fixture.test-util';

// @tensorflow/tfjs-node is not installed in this project, nor in this empty per-user folder,
// so `auto` must fall through it.
process.env.ENSEMBLE_LAB_HOME = tempHome();

test('auto falls back to wasm and says why tfjs-node was skipped', async () => {
  const lines: string[] = [];
  const handlersBefore = process.listeners('uncaughtException').length;
  const choice = await initBackend('auto', { log: (_l: LogLevel, m: string) => lines.push(m) });

  assert.equal(choice.name, 'wasm');
  assert.match(choice.reason, /tfjs-node not installed \(not in node_modules, nor in .*backends\)/);
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(lines.join('\n'), /backends\); using wasm/);
  // The wasm glue adds handlers that rethrow every error; initBackend removes them.
  assert.equal(process.listeners('uncaughtException').length, handlersBefore);
});

test('a second call with the same preference returns the same choice', async () => {
  const first = await initBackend('auto', { log: () => undefined });
  const second = await initBackend('auto', { log: () => undefined });

  assert.deepEqual(second, first);
});

test('forcing the tensorflow backend without tfjs-node is a UserError with a remedy', async () => {
  await assert.rejects(
    initBackend('tensorflow', { log: () => undefined }),
    (error: unknown) =>
      error instanceof UserError &&
      error.message ===
        'backend "tensorflow" is not available: tfjs-node not installed (not in node_modules, ' +
          `nor in ${join(process.env.ENSEMBLE_LAB_HOME ?? '', 'backends')}); install it with ` +
          '"ensemble-lab backend install" (in VS Code "Ensemble Lab: Install Native Backend") ' +
          'or use the wasm backend',
  );
  assert.equal(tf.getBackend(), 'wasm', 'the failed attempt leaves the working backend active');
});

test('the cpu backend can be forced and computes', async () => {
  const choice = await initBackend('cpu', { log: () => undefined });
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());

  assert.equal(choice.name, 'cpu');
  assert.deepEqual(Array.from(sum), [4, 6]);
  await initBackend('wasm', { log: () => undefined });
});
