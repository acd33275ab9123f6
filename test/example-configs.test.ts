import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../src/core/config/load';
import { EXAMPLES } from './helpers';

/** Every *.ensemble.json under examples/, the models folder's included. */
const configs = readdirSync(EXAMPLES, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ensemble.json'));

test('there are example configs to check', () => {
  assert.ok(configs.length >= 12, configs.join());
});

for (const file of configs) {
  test(`${file} reads without an error or a warning`, () => {
    const path = join(EXAMPLES, file);
    const { problems } = parseConfigText(readFileSync(path, 'utf8'), path);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [],
    );
  });
}
