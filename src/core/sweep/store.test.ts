import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveSweep } from '../config/sweep-resolve';
import { type Sweep, type SweepManifest, SweepStore, type TrialRecord } from './store';

async function newSweep(): Promise<Sweep> {
  const store = new SweepStore(mkdtempSync(join(tmpdir(), 'sweep-store-')));
  const sweep = resolveSweep({
    parameters: { 'training.epochs': { type: 'int', low: 1, high: 9 } },
  });
  return store.create({ configName: 'c', configPath: '/c.json', configText: '{}', sweep });
}

function onDisk(sweep: Sweep): SweepManifest {
  return JSON.parse(readFileSync(join(sweep.dir, 'sweep.json'), 'utf8')) as SweepManifest;
}

function trial(number: number): TrialRecord {
  return { number, state: 'running', params: {}, intermediate: [], startedAt: '' };
}

test('trials put at the same moment are all in sweep.json once the writes settle', async () => {
  const sweep = await newSweep();
  // Later manifests are longer to write, so without one write after another an early one
  // would often be renamed into place last.
  const numbers = Array.from({ length: 40 }, (_, i) => i + 1);
  await Promise.all(numbers.map((n) => sweep.putTrial(trial(n))));

  assert.deepEqual(
    onDisk(sweep).trials.map((t) => t.number),
    numbers,
  );
});

test('a change is in the manifest as soon as it is made, before it is written', async () => {
  const sweep = await newSweep();
  const written = sweep.putTrial(trial(1));
  const seen = sweep.manifest.trials.map((t) => t.number);
  await written;

  assert.deepEqual(seen, [1]);
});
