// Output larger than a pipe's buffer reaches the reading process whole: the CLI waits for its
// standard output to drain before it exits.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cli, workspace, writeConfig } from './helpers';

const DIGITS = `{
  "name": "digits-linear",
  "data": { "train": "data/digits.csv", "target": "digit" },
  "members": [{ "name": "linear", "model": "linear" }],
  "training": { "epochs": 2, "seed": 1 }
}
`;

let dir: string;
let runId: string;

before(() => {
  dir = workspace();
  const result = cli(['train', writeConfig(dir, 'digits.ensemble.json', DIGITS), '--json'], dir);
  assert.equal(result.status, 0, result.stderr);
  runId = (JSON.parse(result.stdout) as { run: { id: string } }).run.id;
});

test('predict --json on 1797 rows (far over 64 KiB) parses whole from a pipe', () => {
  const result = cli(['predict', runId, 'data/digits.csv', '--json'], dir);
  assert.ok(result.stdout.length > 256 * 1024, `only ${result.stdout.length} characters`);
  const parsed = JSON.parse(result.stdout) as { rows: unknown[] };
  assert.equal(parsed.rows.length, 1797);
});
