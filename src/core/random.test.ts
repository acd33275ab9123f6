import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './random';

test('the same seed gives the same stream', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  assert.deepEqual(
    Array.from({ length: 5 }, () => a.nextUint32()),
    Array.from({ length: 5 }, () => b.nextUint32()),
  );
});

test('different seeds give different streams', () => {
  assert.notEqual(new Rng(1).nextUint32(), new Rng(2).nextUint32());
});

test('draws are uniform enough: the mean of 10,000 floats is near 0.5', () => {
  const rng = new Rng(7);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) sum += rng.next();
  assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.01);
});

test('shuffle keeps every element exactly once', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  const shuffled = new Rng(3).shuffle([...items]);
  assert.notDeepEqual(shuffled, items);
  assert.deepEqual(
    [...shuffled].sort((x, y) => x - y),
    items,
  );
});
