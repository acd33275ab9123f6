import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random';
import { outOfBag, sampleFeatures, sampleRows } from './bagging';

test('a bootstrap sample has as many rows as the data but leaves about a third out', () => {
  const rows = sampleRows(
    10_000,
    { bootstrap: true, maxSamples: 1, maxFeatures: 1, oobScore: true },
    new Rng(1),
  );
  const distinct = new Set(rows).size;
  assert.equal(rows.length, 10_000);
  assert.ok(
    Math.abs(distinct / 10_000 - (1 - Math.exp(-1))) < 0.02,
    `distinct share ${distinct / 10_000}`,
  );
});

test('two members draw different rows', () => {
  const settings = { bootstrap: true, maxSamples: 1, maxFeatures: 1, oobScore: true };
  const rng = new Rng(5);
  const first = sampleRows(500, settings, rng.fork('a'));
  const second = sampleRows(500, settings, rng.fork('b'));
  assert.notDeepEqual(first, second);
});

test('subsampling without replacement never repeats a row', () => {
  const rows = sampleRows(
    100,
    { bootstrap: false, maxSamples: 0.5, maxFeatures: 1, oobScore: false },
    new Rng(2),
  );
  assert.equal(new Set(rows).size, 50);
});

test('a feature fraction picks that share of distinct columns', () => {
  const features = sampleFeatures(64, 0.25, new Rng(3));
  assert.equal(new Set(features).size, 16);
});

test('out-of-bag combines only the members that did not see a row', () => {
  // Member 0 saw row 0, member 1 saw row 1: row 0's estimate is member 1's, and vice versa.
  const plans = [
    { name: 'm0', spec: {} as never, seed: 0, rows: Int32Array.of(0, 0) },
    { name: 'm1', spec: {} as never, seed: 0, rows: Int32Array.of(1, 1) },
  ];
  const outputs = [Float32Array.of(0.9, 0.1, 0.8, 0.2), Float32Array.of(0.3, 0.7, 0.4, 0.6)];
  const { combined } = outOfBag(plans, outputs, 2, 2, 'soft-vote');
  assert.deepEqual(
    Array.from(combined, (v) => Math.round(v * 10) / 10),
    [0.3, 0.7, 0.8, 0.2],
  );
});
