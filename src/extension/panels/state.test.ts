import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { silentLogger } from '../../core/log';
import { readJsonLines } from '../../core/runs/files';
import type { RunManifest } from '../../core/runs/manifest';
import type { RunReport } from '../../core/runs/report';
import type { EpochLog } from '../../core/training/types';
import type { TrainerEvent } from '../../protocol/events';
import { parseHostMessage, type EpochPoint } from '../../protocol/messages';
import { runJob } from '../../trainer/run-job';
import {
  curvesFromEvents,
  memberDiversity,
  metricsFromEvents,
  readConfusionState,
  readLeaderboardState,
} from './state';

/** history.json holds the engine's EpochLog; the protocol's EpochPoint must accept it. */
const epochLogFits: (log: EpochLog) => EpochPoint = (log) => log;
void epochLogFits;

const EXAMPLE = resolve(__dirname, '../../../examples/iris-voting.ensemble.json');

describe('panel state read from a real iris run', () => {
  let runDir = '';

  before(async () => {
    const storeRoot = mkdtempSync(join(tmpdir(), 'panels-'));
    const job = {
      kind: 'train' as const,
      configPath: EXAMPLE,
      storeRoot,
      backend: 'wasm' as const,
    };
    const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
    runDir = join(storeRoot, 'runs', outcome.runId);
  });

  test('each member has a learning curve as long as the epochs it ran', () => {
    const { run } = readLeaderboardState(runDir);
    for (const member of run.manifest.members) {
      assert.equal(run.curves[member.name]?.length, member.epochsRun, member.name);
    }
  });

  test('the leaderboard state carries the report of a finished run', () => {
    const { run } = readLeaderboardState(runDir);
    assert.equal(run.report?.members.length, 3);
  });

  test('a compared run comes as a second snapshot', () => {
    const state = readLeaderboardState(runDir, runDir);
    assert.equal(state.compare?.manifest.id, state.run.manifest.id);
  });

  test('the leaderboard state passes the panel-side check', () => {
    const message = { type: 'state', state: readLeaderboardState(runDir) };
    assert.ok(parseHostMessage(JSON.parse(JSON.stringify(message))));
  });

  test('the confusion state lists the ensemble first, then the three members', () => {
    const state = readConfusionState(runDir);
    assert.deepEqual(
      state.matrices.map((m) => m.kind),
      ['ensemble', 'member', 'member', 'member'],
    );
  });

  test('every confusion matrix counts each of the 30 test rows once', () => {
    for (const entry of readConfusionState(runDir).matrices) {
      const total = entry.confusion.flat().reduce((sum, count) => sum + count, 0);
      assert.equal(total, 30, entry.name);
    }
  });

  test('the confusion state passes the panel-side check', () => {
    const message = { type: 'state', state: readConfusionState(runDir) };
    assert.ok(parseHostMessage(JSON.parse(JSON.stringify(message))));
  });

  test('curves rebuilt from events.jsonl match history.json, loss for loss', () => {
    const events = readJsonLines<TrainerEvent>(join(runDir, 'events.jsonl'));
    const fromEvents = curvesFromEvents(events);
    const { run } = readLeaderboardState(runDir);
    for (const [member, curve] of Object.entries(run.curves)) {
      assert.deepEqual(
        fromEvents[member].map((p) => p.loss),
        curve.map((p) => p.loss),
      );
    }
  });

  test('member metrics rebuilt from events match the report', () => {
    const events = readJsonLines<TrainerEvent>(join(runDir, 'events.jsonl'));
    const { run } = readLeaderboardState(runDir);
    const wide = run.report?.members.find((m) => m.name === 'wide');
    assert.equal(metricsFromEvents(events).wide.accuracy, wide?.metrics.accuracy);
  });

  test('a run that failed before its report says so in the confusion panel', () => {
    const dir = mkdtempSync(join(tmpdir(), 'panels-failed-'));
    const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunManifest;
    writeFileSync(
      join(dir, 'run.json'),
      JSON.stringify({ ...manifest, status: 'failed', error: 'out of memory' }),
    );
    assert.match(readConfusionState(dir).note ?? '', /failed.*out of memory/);
  });
});

test('a folder without run.json is refused with its path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panels-empty-'));
  mkdirSync(join(dir, 'members'));
  assert.throws(() => readLeaderboardState(dir), new RegExp(`${dir} has no run.json`));
});

test("a member's diversity is the mean over its pairs, skipping undefined measures", () => {
  const pairs = [
    { a: 'm1', b: 'm2', disagreement: 0.2, qStatistic: 0.5 },
    { a: 'm1', b: 'm3', disagreement: 0.4, qStatistic: null },
    { a: 'm2', b: 'm3', disagreement: 0.1, qStatistic: null },
  ] as unknown as Record<string, number | string>[];
  const report = { diversity: { pairs, mean: {} } } as unknown as RunReport;

  const diversity = memberDiversity(report);

  assert.ok(Math.abs(diversity.m1.disagreement - 0.3) < 1e-12);
  assert.ok(Math.abs(diversity.m3.disagreement - 0.25) < 1e-12);
  assert.equal(diversity.m1.qStatistic, 0.5);
  assert.equal(diversity.m3.qStatistic, undefined);
});
