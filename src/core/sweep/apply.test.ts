import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { applyParameters, trialConfigText } from './apply';

const CONFIG = `// Digits, tuned by hand so far.
{
  "name": "digits", // the experiment
  "data": { "train": "data/digits.csv", "target": "digit" },
  /* one member for now */
  "members": [{ "model": "mlp", "hidden": [64, 32], "dropout": 0.1 }],
  "training": {
    "epochs": 20, // enough for digits
    "learningRate": 0.001
  },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "log-uniform", "low": 0.0001, "high": 0.1 }
    }
  }
}
`;

const BEST = { 'training.learningRate': 0.0042, 'members[0].hidden[1]': 48 };

test('applyParameters changes only the swept values: every other line stays as it was', () => {
  const before = CONFIG.split('\n');
  const after = applyParameters(CONFIG, BEST).split('\n');
  const changed = after.filter((line, i) => line !== before[i]);
  assert.deepEqual(changed, [
    '  "members": [{ "model": "mlp", "hidden": [64, 48], "dropout": 0.1 }],',
    '    "learningRate": 0.0042',
  ]);
});

test('applyParameters keeps the comments of the file', () => {
  const comments = (text: string): string[] => text.match(/\/\/.*|\/\*[\s\S]*?\*\//g) ?? [];
  assert.deepEqual(comments(applyParameters(CONFIG, BEST)), comments(CONFIG));
});

test('a setting the file does not write yet is added inside its section', () => {
  const text = applyParameters(CONFIG, { 'ensemble.combine': 'hard-vote', 'training.epochs': 5 });
  const value = parse(text) as { ensemble: { combine: string }; training: { epochs: number } };
  assert.deepEqual([value.ensemble.combine, value.training.epochs], ['hard-vote', 5]);
});

test("a trial's config text has the trial's values and no sweep section", () => {
  const value = parse(trialConfigText(CONFIG, BEST)) as Record<string, unknown>;
  assert.deepEqual(
    [value.sweep, (value.training as { learningRate: number }).learningRate],
    [undefined, 0.0042],
  );
});
