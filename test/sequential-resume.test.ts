import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BoostRound } from '../src/core/ensembles/adaboost';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import type { TrainerEvent } from '../src/protocol/events';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

const CONFIG = `{
  "data": { "train": "data/breast_cancer.csv", "target": "diagnosis" },
  "members": [
    { "name": "stump", "model": "tree", "maxDepth": 1, "count": 4 },
    { "name": "lin", "model": "linear", "count": 2 }
  ],
  "training": { "epochs": 3, "batchSize": 64, "seed": 9 },
  "ensemble": { "method": "adaboost" }
}`;

function rounds(report: RunReport | undefined): BoostRound[] {
  return (report?.methodDetails?.rounds ?? []) as BoostRound[];
}

test('an AdaBoost run stopped after three rounds resumes to the same ensemble', async (t) => {
  const dir = workspace();
  const configPath = writeConfig(dir, 'ada.ensemble.json', CONFIG);
  const store = join(dir, 'store');
  const job = { kind: 'train' as const, configPath, storeRoot: store, backend: 'wasm' as const };
  const whole = await runJob(job, { emit: () => undefined, logger: silentLogger });

  const stop = new AbortController();
  const events: TrainerEvent[] = [];
  const emit = (event: TrainerEvent): void => {
    events.push(event);
    if (events.filter((e) => e.type === 'member-done').length === 3) stop.abort();
  };
  const stopped = await runJob(job, { emit, logger: silentLogger, signal: stop.signal });
  const resumeEvents: TrainerEvent[] = [];
  const resume = {
    kind: 'resume' as const,
    runId: stopped.runId,
    storeRoot: store,
    backend: 'wasm' as const,
  };
  await runJob(resume, { emit: (e) => resumeEvents.push(e), logger: silentLogger });

  await t.test('the first run stopped as cancelled', () => {
    assert.equal(stopped.status, 'cancelled');
  });

  await t.test('resume trained only the rounds that were missing', () => {
    const started = resumeEvents
      .filter((e) => e.type === 'member-started')
      .map((e) => (e as { member: string }).member);
    assert.deepEqual(started, ['stump-4', 'lin-1', 'lin-2']);
  });

  await t.test('the resumed run has the α of every round of the uninterrupted one', () => {
    const runs = new RunStore(store);
    const a = rounds(runs.open(whole.runId).readJson<RunReport>('report.json')).map((r) => r.alpha);
    const b = rounds(runs.open(stopped.runId).readJson<RunReport>('report.json')).map(
      (r) => r.alpha,
    );
    assert.equal(b.length, 6);
    assert.deepEqual(b, a);
  });
});
