import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { readJson } from '../../core/runs/files';
import type { RunReport } from '../../core/runs/report';
import { projectRoot, trainExample } from './fixture.test-util';
import { listRunSummaries, type RunSummary } from './summary';

let run: RunSummary;
let report: RunReport;

before(() => {
  [run] = listRunSummaries(trainExample('iris-voting.ensemble.json'));
  report = readJson<RunReport>(join(run.dir, 'report.json')) as RunReport;
});

test('a finished run reads as completed, with the config it came from', () => {
  assert.equal(run.manifest.status, 'completed');
  assert.equal(run.manifest.configPath, join(projectRoot, 'examples/iris-voting.ensemble.json'));
});

test("the headline is the report's, and each member carries its report metrics", () => {
  assert.equal(run.headline, report.headline);
  assert.deepEqual(
    run.members.map((m) => m.metrics?.accuracy),
    report.members.map((m) => m.metrics.accuracy),
  );
});

test('a store without runs lists none', () => {
  assert.deepEqual(listRunSummaries(join(projectRoot, 'no-such-store')), []);
});
