import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { projectRoot, trainExample } from '../runs/fixture.test-util';
import { listRunSummaries, type RunSummary } from '../runs/summary';
import {
  lastRunOf,
  memberLensText,
  memberSpecSites,
  runLensText,
  sweepSectionOffset,
} from './model';

const configPath = join(projectRoot, 'examples/iris-voting.ensemble.json');
const text = readFileSync(configPath, 'utf8');
let runs: RunSummary[];

before(() => {
  runs = listRunSummaries(trainExample('iris-voting.ensemble.json'));
});

test('member specs are found where the config writes them, with their counts', () => {
  const sites = memberSpecSites(text);
  assert.deepEqual(
    sites.map((s) => [s.name, s.count]),
    [
      ['narrow', 2],
      ['wide', 1],
    ],
  );
  assert.ok(text.slice(sites[1].offset).startsWith('{ "name": "wide"'));
});

test("a spec with copies shows the mean of its copies' scores", () => {
  const run = lastRunOf(configPath, runs) as RunSummary;
  const [narrow] = memberSpecSites(text);
  const scores = run.members.filter((m) => m.name.startsWith('narrow-'));
  const mean = ((scores[0].metrics?.accuracy ?? 0) + (scores[1].metrics?.accuracy ?? 0)) / 2;

  assert.equal(memberLensText(narrow, run), `narrow ×2: accuracy ${mean.toFixed(3)} mean`);
});

test("the run lens gives the ensemble's accuracy, its member count and its age", () => {
  const run = lastRunOf(configPath, runs) as RunSummary;
  const accuracy = run.manifest.metrics?.accuracy ?? NaN;
  const now = Date.parse(run.manifest.createdAt) + 5 * 60_000;

  assert.equal(runLensText(run, now), `accuracy ${accuracy.toFixed(3)} · 3 members · 5 min ago`);
});

test('a spec the run does not have gets no lens', () => {
  const run = runs[0];
  const site = { index: 2, name: 'added-later', count: 1, offset: 0, length: 1 };
  assert.equal(memberLensText(site, run), undefined);
});

test('text that is not a config has no member specs', () => {
  assert.deepEqual(memberSpecSites('{ "members": 3 }'), []);
});

test('the "Run sweep" lens sits where the sweep section starts', () => {
  const sweepText = readFileSync(join(projectRoot, 'examples/digits-sweep.ensemble.json'), 'utf8');
  const offset = sweepSectionOffset(sweepText) ?? -1;
  assert.ok(sweepText.slice(offset).startsWith('"sweep": {'));
});

test('a config without a sweep section has no "Run sweep" lens', () => {
  assert.equal(sweepSectionOffset(text), undefined);
});
