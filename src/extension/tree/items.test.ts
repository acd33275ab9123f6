import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parseConfigText } from '../../core/config';
import { projectRoot, trainExample } from '../runs/fixture.test-util';
import { listRunSummaries, type RunSummary } from '../runs/summary';
import { configView, memberView, runView } from './items';

let run: RunSummary;
const minutes = (n: number): number => n * 60_000;

before(() => {
  [run] = listRunSummaries(trainExample('iris-voting.ensemble.json'));
});

test('a completed run shows a pass icon and its accuracy with the time since it started', () => {
  const now = Date.parse(run.manifest.createdAt) + minutes(3);
  const view = runView(run, now);
  const accuracy = run.manifest.metrics?.accuracy ?? NaN;

  assert.equal(view.icon, 'pass');
  assert.equal(view.contextValue, 'run.completed');
  assert.equal(view.description, `accuracy ${accuracy.toFixed(3)} · 3 min ago`);
});

test('a member shows its kind, score and fit time', () => {
  const member = run.members[0];
  const view = memberView(run, member);
  const accuracy = member.metrics?.accuracy ?? NaN;

  assert.equal(view.label, 'narrow-1');
  assert.match(
    view.description ?? '',
    new RegExp(`^mlp · accuracy ${accuracy.toFixed(3)} · \\d+\\.\\d s$`),
  );
});

test('a failed member shows its reason', () => {
  const failed = { ...run.members[0], status: 'failed' as const, reason: 'loss became NaN' };
  assert.equal(memberView(run, failed).description, 'failed: loss became NaN');
});

test('a broken config is red and names its first problem with its line', () => {
  const path = join(projectRoot, 'examples/iris-voting.ensemble.json');
  const text = readFileSync(path, 'utf8').replace('"hard-vote"', '"hard-voting"');
  const { problems } = parseConfigText(text, path);
  const view = configView(
    { path, relativePath: 'examples/iris-voting.ensemble.json', problems },
    1,
  );

  assert.equal(view.icon, 'error');
  assert.equal(view.label, 'iris-voting');
  assert.match(view.description ?? '', /^line 11: .*hard-voting/);
});

test('a valid config without runs says so and cannot expand', () => {
  const view = configView(
    { path: '/w/a.ensemble.json', relativePath: 'a.ensemble.json', problems: [] },
    0,
  );
  assert.equal(view.description, 'no runs yet');
  assert.equal(view.expandable, false);
});

test('a config with a run and a sweep counts them apart', () => {
  const view = configView(
    { path: '/w/a.ensemble.json', relativePath: 'a.ensemble.json', problems: [] },
    1,
    1,
  );
  assert.equal(view.description, '1 run · 1 sweep');
});
