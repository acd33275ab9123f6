import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { SweepJson } from '../src/cli/sweep';
import type { TrainerEvent } from '../src/protocol/events';
import type { RunManifest } from '../src/core/runs/manifest';
import type { RunReport } from '../src/core/runs/report';
import type { SweepManifest, TrialRecord } from '../src/core/sweep/store';
import { cli, EXAMPLES, workspace, writeConfig } from './helpers';

/** A small sweep on digits: one tiny member, 6 epochs, three trials. */
const SWEEP = `// A small sweep for the tests.
{
  "name": "digits-small-sweep",
  "data": { "train": "data/digits.csv", "target": "digit" },
  "members": [{ "model": "mlp", "hidden": [16] }],
  "training": { "epochs": 6, "batchSize": 64, "seed": 1 },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "log-uniform", "low": 0.0001, "high": 0.05 },
      "members[0].hidden[0]": { "type": "int", "low": 4, "high": 64, "log": true }
    },
    "sampler": { "type": "random", "seed": 5 },
    "pruner": { "type": "median", "startupTrials": 2, "warmupEpochs": 1 },
    "trials": 3
  }
}
`;

/** The example: 20 TPE trials of up to 3 members, 15 epochs each, with the median pruner. */
const EXAMPLE = join(EXAMPLES, 'digits-sweep.ensemble.json');
const EXAMPLE_TRIALS = 20;
const EXAMPLE_EPOCHS = 15;

function sweepOf(dir: string): SweepManifest {
  const sweeps = join(dir, '.ensemble-lab', 'sweeps');
  const [id] = readdirSync(sweeps);
  return JSON.parse(readFileSync(join(sweeps, id, 'sweep.json'), 'utf8')) as SweepManifest;
}

function runFile<T>(dir: string, runId: string | undefined, name: string): T {
  const path = join(dir, '.ensemble-lab', 'runs', String(runId), name);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function runEvents(dir: string, runId: string | undefined): TrainerEvent[] {
  const path = join(dir, '.ensemble-lab', 'runs', String(runId), 'events.jsonl');
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TrainerEvent);
}

describe('the 20-trial digits sweep example from the command line', () => {
  let dir: string;
  let result: ReturnType<typeof cli>;
  let output: SweepJson;

  before(() => {
    dir = workspace();
    result = cli(['sweep', EXAMPLE, '--json', '--backend', 'wasm'], dir);
    output = JSON.parse(result.stdout || '{}') as SweepJson;
  });

  test('it completes with exit code 0', () => {
    assert.equal(result.status, 0, result.stderr);
  });

  test('it runs its whole trial budget', () => {
    assert.equal(output.sweep.trials.length, EXAMPLE_TRIALS);
  });

  test('it prints a progress line per trial on standard error', () => {
    const lines = result.stderr.split('\n').filter((l) => /^trial \d+\/20 /.test(l));
    assert.equal(lines.length, EXAMPLE_TRIALS);
  });

  test('the median pruner stops some trials', () => {
    const pruned = output.sweep.trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length >= 1, `${pruned.length} pruned`);
  });

  test('the member a trial was pruned in trained fewer epochs than the config asks', () => {
    const pruned = output.sweep.trials.find((t) => t.state === 'pruned');
    const events = runEvents(dir, pruned?.runId);
    const last = events.filter((e) => e.type === 'member-started').at(-1);
    const member = last?.type === 'member-started' ? last.member : '';
    const epochs = events.filter((e) => e.type === 'member-epoch' && e.member === member);
    assert.ok(epochs.length < EXAMPLE_EPOCHS, `${epochs.length} epochs`);
  });

  test('a pruned trial is kept as a run whose status is pruned, with the reason', () => {
    const pruned = output.sweep.trials.find((t) => t.state === 'pruned');
    const run = runFile<RunManifest>(dir, pruned?.runId, 'run.json');
    assert.deepEqual([run.status, run.reason], ['pruned', pruned?.reason]);
  });

  test("the best trial's objective equals the validation accuracy in its run's report", () => {
    const report = runFile<RunReport>(dir, output.best?.runId, 'report.json');
    const reported = report.ensemble.validationMetrics?.accuracy ?? NaN;
    assert.ok(Math.abs((output.best?.value ?? NaN) - reported) < 1e-12);
  });

  test('the best trial is the completed trial with the highest objective', () => {
    const completed = output.sweep.trials.filter((t) => t.state === 'completed');
    const top = Math.max(...completed.map((t) => t.value ?? -1));
    assert.equal(output.best?.value, top);
  });

  test('every trial is a run whose manifest names the sweep and the trial number', () => {
    const links = output.sweep.trials.map(
      (t) => runFile<RunManifest>(dir, t.runId, 'run.json').sweep,
    );
    assert.deepEqual(
      links,
      output.sweep.trials.map((t) => ({ sweepId: output.sweep.id, trial: t.number })),
    );
  });

  test('a trial run is trained with the values the sweep chose', () => {
    const trial = output.sweep.trials[0];
    const config = runFile<{ training: { learningRate: number } }>(dir, trial.runId, 'config.json');
    assert.equal(config.training.learningRate, trial.params['training.learningRate']);
  });

  test('"show" of a pruned trial\'s run says why it was pruned', () => {
    const pruned = output.sweep.trials.find((t) => t.state === 'pruned');
    const shown = cli(['show', String(pruned?.runId)], dir).stdout;
    assert.match(shown, /is pruned \(pruned at epoch \d+: validation accuracy/);
  });

  test('"sweeps" lists the sweep as completed', () => {
    const listed = cli(['sweeps'], dir).stdout;
    assert.match(listed, new RegExp(`${output.sweep.id}\\s+completed`));
  });
});

test('the text output ends with the best trial, its values and its run', () => {
  const dir = workspace();
  const result = cli(['sweep', writeConfig(dir, 's.ensemble.json', SWEEP)], dir);
  const best = sweepOf(dir).trials.find((t) => t.number === sweepOf(dir).best) as TrialRecord;
  assert.match(
    result.stdout,
    new RegExp(`best: trial ${best.number}, validation accuracy [0-9.]+, run ${best.runId}\\n`),
  );
});

test('an empty range stops the sweep before any trial, with exit code 2 and its position', () => {
  const dir = workspace();
  const bad = SWEEP.replace('"high": 0.05', '"high": 0.00001');
  const result = cli(['sweep', writeConfig(dir, 'bad.ensemble.json', bad)], dir);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /bad\.ensemble\.json:9:\d+: the range of "training\.learningRate"/);
  assert.equal(existsSync(join(dir, '.ensemble-lab', 'sweeps')), false);
});
