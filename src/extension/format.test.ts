import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatValue, relativeTime } from './format';

const now = Date.parse('2026-12-03T22:00:00Z');

test('relative times read as a person would say them', () => {
  assert.equal(relativeTime('2026-12-03T21:59:30Z', now), 'just now');
  assert.equal(relativeTime('2026-12-03T21:57:00Z', now), '3 min ago');
  assert.equal(relativeTime('2026-12-03T19:30:00Z', now), '2 h ago');
  assert.equal(relativeTime('2026-12-02T21:00:00Z', now), '1 day ago');
  assert.equal(relativeTime('2026-10-01T10:00:00Z', now), '2026-10-01');
});

test('metric values keep three decimals, large ones one', () => {
  assert.equal(formatValue(0.97777), '0.978');
  assert.equal(formatValue(153.46), '153.5');
});

test('durations under ten seconds keep a decimal, longer ones use minutes', () => {
  assert.equal(formatDuration(658.5), '0.7 s');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(185_000), '3 min 5 s');
});
