import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunManifest } from '../src/core/runs/manifest';
import type { SweepManifest, TrialRecord } from '../src/core/sweep/store';
import { cli, cliAsync, workspace, writeConfig } from './helpers';

const SWEEP = `{
  "name": "digits-kill-sweep",
  "data": { "train": "data/digits.csv", "target": "digit" },
  "members": [{ "model": "mlp", "hidden": [32] }],
  "training": { "epochs": 15, "batchSize": 32, "seed": 2 },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "log-uniform", "low": 0.0005, "high": 0.02 }
    },
    "sampler": { "type": "tpe", "startupTrials": 3, "seed": 1 },
    "trials": 6
  }
}
`;

function sweep(dir: string): SweepManifest | undefined {
  const sweeps = join(dir, '.ensemble-lab', 'sweeps');
  if (!existsSync(sweeps)) return undefined;
  const [id] = readdirSync(sweeps);
  const path = join(sweeps, id, 'sweep.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SweepManifest) : undefined;
}

const completed = (m: SweepManifest | undefined): TrialRecord[] =>
  m?.trials.filter((t) => t.state === 'completed') ?? [];

/** Runs of the store that are trials of the sweep, by trial number. */
function trialRuns(dir: string): Map<number, string[]> {
  const runs = join(dir, '.ensemble-lab', 'runs');
  const byTrial = new Map<number, string[]>();
  for (const id of readdirSync(runs)) {
    const manifest = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as RunManifest;
    const trial = manifest.sweep?.trial ?? 0;
    byTrial.set(trial, [...(byTrial.get(trial) ?? []), id]);
  }
  return byTrial;
}

/** Starts the sweep and kills it outright once two trials are complete. */
async function killAfterTwoTrials(dir: string): Promise<SweepManifest> {
  const child = cliAsync(['sweep', writeConfig(dir, 'k.ensemble.json', SWEEP)], dir);
  for (let waited = 0; waited < 1200 && completed(sweep(dir)).length < 2; waited++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return sweep(dir) as SweepManifest;
}

test('a sweep killed with SIGKILL resumes without repeating its finished trials', async (t) => {
  const dir = workspace();
  const killed = await killAfterTwoTrials(dir);
  const finished = completed(killed);

  await t.test('it was killed before the end of its budget', () => {
    assert.ok(finished.length < 6, `${finished.length} trials had completed`);
  });

  await t.test('it is listed as interrupted', () => {
    assert.match(cli(['sweeps'], dir).stdout, new RegExp(`${killed.id}\\s+interrupted`));
  });

  const resumed = cli(['sweep', '--resume', killed.id], dir);

  await t.test('the resume completes with exit code 0', () => {
    assert.equal(resumed.status, 0, resumed.stderr);
  });

  await t.test('the sweep then holds its whole budget of completed trials', () => {
    assert.deepEqual(
      completed(sweep(dir)).map((trial) => trial.number),
      [1, 2, 3, 4, 5, 6],
    );
  });

  await t.test('the trials finished before the kill keep their runs and their scores', () => {
    const after = new Map(sweep(dir)?.trials.map((trial) => [trial.number, trial]));
    assert.deepEqual(
      finished.map((trial) => [after.get(trial.number)?.runId, after.get(trial.number)?.value]),
      finished.map((trial) => [trial.runId, trial.value]),
    );
  });

  await t.test('no finished trial was trained again: each has exactly one run', () => {
    const runs = trialRuns(dir);
    assert.deepEqual(
      finished.map((trial) => runs.get(trial.number)?.length),
      finished.map(() => 1),
    );
  });
});

/** The same sweep with two trials at once and a budget of three. */
const PARALLEL_SWEEP = SWEEP.replace('"trials": 6', '"trials": 3, "parallel": 2');

const running = (m: SweepManifest | undefined): TrialRecord[] =>
  m?.trials.filter((t) => t.state === 'running' && t.runId !== undefined) ?? [];

/** Starts the parallel sweep and kills it outright once two trials are training at once. */
async function killWhileTwoRun(dir: string): Promise<SweepManifest> {
  const config = writeConfig(dir, 'p.ensemble.json', PARALLEL_SWEEP);
  const child = cliAsync(['sweep', config, '--parallel', '2'], dir);
  for (let waited = 0; waited < 1200 && running(sweep(dir)).length < 2; waited++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return sweep(dir) as SweepManifest;
}

test('a parallel sweep killed with two trials running resumes both in their runs', async (t) => {
  const dir = workspace();
  const killed = await killWhileTwoRun(dir);
  const cut = running(killed);

  await t.test('two trials were running when it was killed', () => {
    assert.deepEqual(
      cut.map((trial) => trial.number),
      [1, 2],
    );
  });

  const resumed = cli(['sweep', '--resume', killed.id, '--parallel', '2'], dir);

  await t.test('the resume completes with exit code 0', () => {
    assert.equal(resumed.status, 0, resumed.stderr);
  });

  await t.test('the sweep then holds its whole budget of completed trials', () => {
    assert.deepEqual(
      completed(sweep(dir)).map((trial) => trial.number),
      [1, 2, 3],
    );
  });

  await t.test('each trial cut short was finished in the run it had started', () => {
    const runs = trialRuns(dir);
    assert.deepEqual(
      cut.map((trial) => runs.get(trial.number)),
      cut.map((trial) => [trial.runId]),
    );
  });
});
