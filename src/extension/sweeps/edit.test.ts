import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyParameters } from '../../core/sweep/apply';
import { projectRoot } from '../runs/fixture.test-util';
import { smallestReplacement, type TextReplacement } from './edit';

const text = readFileSync(join(projectRoot, 'examples/digits-sweep.ensemble.json'), 'utf8');

function apply(before: string, change: TextReplacement | undefined): string {
  if (!change) return before;
  return before.slice(0, change.offset) + change.text + before.slice(change.offset + change.length);
}

test('the replacement turns the config into the one with the best values', () => {
  const after = applyParameters(text, { 'training.learningRate': 0.0024, 'members[0].count': 3 });
  assert.equal(apply(text, smallestReplacement(text, after)), after);
});

test('one changed value is replaced inside that value and nowhere else', () => {
  const after = applyParameters(text, { 'training.learningRate': 0.0024 });
  const change = smallestReplacement(text, after);
  const value = text.indexOf('0.001,');
  const inside =
    change !== undefined &&
    change.offset >= value &&
    change.offset + change.length <= value + '0.001'.length;
  assert.ok(inside, JSON.stringify(change));
});

test('equal texts need no replacement', () => {
  assert.equal(smallestReplacement(text, text), undefined);
});
