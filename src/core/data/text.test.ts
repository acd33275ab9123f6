import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DataConfig } from '../config/types';
import { EXAMPLE_DATA } from '../example-data.test-util';
import { silentLogger } from '../log';
import { prepareData, readSource } from './prepare';
import { fitText, tokenize } from './text';

const config: DataConfig = {
  train: { kind: 'table', path: join(EXAMPLE_DATA, 'spam_assassin.csv'), format: 'csv' },
  target: 'label',
  test: { kind: 'fraction', fraction: 0.2, stratify: true },
  validationFraction: 0,
  columns: { text: 'text' },
  preprocess: {
    numeric: 'standardize',
    impute: 'mean',
    text: { maxFeatures: 500, minDocuments: 2, weighting: 'tfidf' },
  },
};

test('tokenize lower-cases and keeps runs of letters or digits of two characters or more', () => {
  assert.deepEqual(tokenize('Save 70% on Life-Insurance, a FREE quote!'), [
    'save',
    '70',
    'on',
    'life',
    'insurance',
    'free',
    'quote',
  ]);
});

test('the spam text column gives 500 word features, the most common words of training rows', async () => {
  const data = await prepareData(config, 1, silentLogger);
  assert.equal(data.train.features, 500);
});

test('a vocabulary fitted on the ham rows has no word found only in spam rows', async () => {
  const table = await readSource(config.train);
  const texts = table.columns.find((c) => c.name === 'text');
  assert.ok(texts?.kind === 'categorical');
  const words = (from: number, to: number) =>
    new Set(Array.from(texts.codes.subarray(from, to), (c) => tokenize(texts.levels[c])).flat());
  const [ham, spam] = [words(0, 300), words(300, 600)];
  const spamOnly = [...spam].filter((w) => !ham.has(w));

  const rows = Int32Array.from({ length: 300 }, (_, i) => i);
  const fitted = fitText(texts, rows, {
    maxFeatures: 100_000,
    minDocuments: 1,
    weighting: 'count',
  });
  assert.equal(spamOnly.filter((w) => fitted.vocabulary.includes(w)).length, 0);
});

test('that vocabulary holds every word of the ham rows', async () => {
  const table = await readSource(config.train);
  const texts = table.columns.find((c) => c.name === 'text');
  assert.ok(texts?.kind === 'categorical');
  const ham = new Set(
    Array.from(texts.codes.subarray(0, 300), (c) => tokenize(texts.levels[c])).flat(),
  );
  const rows = Int32Array.from({ length: 300 }, (_, i) => i);
  const fitted = fitText(texts, rows, {
    maxFeatures: 100_000,
    minDocuments: 1,
    weighting: 'count',
  });
  assert.equal(fitted.vocabulary.length, ham.size);
});

test('every TF-IDF row with a known word has unit length', async () => {
  const { test: rows } = await prepareData(config, 1, silentLogger);
  const norms = Array.from({ length: rows.rows }, (_, r) => {
    const row = rows.x.subarray(r * rows.features, (r + 1) * rows.features);
    return Math.sqrt(row.reduce((s, v) => s + v * v, 0));
  });
  const off = norms.filter((n) => n > 0 && Math.abs(n - 1) > 1e-5);
  assert.equal(off.length, 0);
});
