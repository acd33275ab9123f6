import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES } from './helpers';

/** Trains an example config into a fresh store and returns its report. */
async function train(example: string): Promise<RunReport> {
  const storeRoot = mkdtempSync(join(tmpdir(), 'examples-'));
  const job = {
    kind: 'train' as const,
    configPath: join(EXAMPLES, example),
    storeRoot,
    backend: 'wasm' as const,
  };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

describe('the bundled examples reach their accuracy on an 80/20 stratified split', () => {
  const cases: [string, string, number][] = [
    ['iris-voting.ensemble.json', 'accuracy', 0.93],
    ['wine-bagging.ensemble.json', 'accuracy', 0.95],
    ['breast-cancer-voting.ensemble.json', 'accuracy', 0.95],
    ['diabetes-averaging.ensemble.json', 'r2', 0.4],
    ['digits-bagging.ensemble.json', 'accuracy', 0.97],
  ];

  for (const [example, metric, floor] of cases) {
    test(`${example}: ensemble ${metric} >= ${floor} and not worse than its mean member`, async () => {
      const report = await train(example);
      const ensemble = report.ensemble.metrics[metric];
      assert.ok(ensemble >= floor, `${metric} ${ensemble} is below ${floor}`);
      assert.ok(
        ensemble >= report.meanMember[metric] - 1e-9,
        `ensemble ${ensemble} < mean member ${report.meanMember[metric]}`,
      );
    });
  }
});

test('the same config and seed trained twice give identical metrics', async () => {
  const first = await train('iris-voting.ensemble.json');
  const second = await train('iris-voting.ensemble.json');
  assert.deepEqual(second.ensemble.metrics, first.ensemble.metrics);
});

test('bagging members really see different rows', async () => {
  const report = await train('wine-bagging.ensemble.json');
  const distinct = report.members.map((m) => m.distinctRows);
  const rows = report.members[0].rows ?? 0;
  assert.ok(
    distinct.every((d) => d !== undefined && d < rows),
    `distinct rows ${distinct.join(', ')} of ${rows}`,
  );
});
