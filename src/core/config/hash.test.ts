import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, configHash } from './hash';
import { parseConfigText } from './load';
import type { EnsembleConfig } from './types';
import { join } from 'node:path';
import { EXAMPLE_DATA } from '../example-data.test-util';

const DATA = `"data": { "train": ${JSON.stringify(join(EXAMPLE_DATA, 'iris.csv'))}, "target": "species" }`;

function resolved(text: string, path: string): EnsembleConfig {
  const { config } = parseConfigText(text, path);
  assert.ok(config);
  return config;
}

test('canonical JSON sorts keys at every depth', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
  );
});

test('the hash ignores layout, key order, comments and where the file sits', () => {
  const a = resolved(
    `{ ${DATA}, "members": [{ "model": "mlp" }], "name": "x" }`,
    '/tmp/a/x.ensemble.json',
  );
  const b = resolved(
    `{\n  // same\n  "name": "x",\n  "members": [ { "model": "mlp" } ],\n  ${DATA}\n}`,
    '/tmp/b/x.ensemble.json',
  );
  assert.equal(configHash(a), configHash(b));
});

test('the hash changes when a trained setting changes', () => {
  const a = resolved(`{ ${DATA}, "members": [{ "model": "mlp" }] }`, '/tmp/x.ensemble.json');
  const b = resolved(
    `{ ${DATA}, "members": [{ "model": "mlp", "dropout": 0.1 }] }`,
    '/tmp/x.ensemble.json',
  );
  assert.notEqual(configHash(a), configHash(b));
});

test('the hash is 12 hexadecimal digits', () => {
  const config = resolved(`{ ${DATA}, "members": [{ "model": "mlp" }] }`, '/tmp/x.ensemble.json');
  assert.match(configHash(config), /^[0-9a-f]{12}$/);
});
