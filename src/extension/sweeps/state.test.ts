import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { silentLogger } from '../../core/log';
import type { SweepState } from '../../protocol/messages';
import { runSweep } from '../../trainer/run-sweep';
import { projectRoot } from '../runs/fixture.test-util';
import { listSweepSummaries, sweepView, trialView } from './items';
import { readSweepState, trialRunDir } from './state';

const CONFIG = `{
  "name": "iris-sweep",
  "data": { "train": "${join(projectRoot, 'examples', 'data', 'iris.csv')}", "target": "species" },
  "members": [{ "model": "mlp", "hidden": [4] }],
  "training": { "epochs": 2, "batchSize": 16, "seed": 4 },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "log-uniform", "low": 0.001, "high": 0.3 },
      "ensemble.combine": { "type": "categorical", "choices": ["soft-vote", "hard-vote"] }
    },
    "sampler": { "type": "random", "seed": 3 },
    "trials": 4
  }
}`;

let storeRoot: string;
let state: SweepState;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-sweep-state-'));
  writeFileSync(join(dir, 'iris.ensemble.json'), CONFIG);
  storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'sweep' as const, configPath: join(dir, 'iris.ensemble.json'), storeRoot };
  const manifest = await runSweep({ ...job, backend: 'cpu' }, { logger: silentLogger });
  state = readSweepState(join(storeRoot, 'sweeps', manifest.id));
});

test('the panel state has an importance for every searched parameter', () => {
  assert.deepEqual(
    state.importance.map((i) => i.path),
    ['training.learningRate', 'ensemble.combine'],
  );
});

test("a trial's run folder is found from the sweep folder", () => {
  assert.ok(existsSync(join(trialRunDir(state, 1) ?? '', 'run.json')));
});

test('the sweep row shows its best objective and its trials', () => {
  const [summary] = listSweepSummaries(storeRoot);
  assert.match(
    sweepView(summary, Date.now()).description ?? '',
    /^best accuracy [0-9.]+ · 4\/4 trials/,
  );
});

test('a trial row shows its objective and, in its tooltip, its values', () => {
  const [summary] = listSweepSummaries(storeRoot);
  const view = trialView(summary, summary.manifest.trials[0]);
  assert.match(
    `${view.description}\n${view.tooltip}`,
    /^accuracy [0-9.]+\n[\s\S]*training\.learningRate = /,
  );
});
