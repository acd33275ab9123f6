import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../core/config';
import { projectRoot } from '../runs/fixture.test-util';
import { problemRange } from './ranges';

test("a problem's range covers exactly the text it is about, counted from zero", () => {
  const path = join(projectRoot, 'examples/wine-bagging.ensemble.json');
  const text = readFileSync(path, 'utf8').replace('"batchSize"', '"batchSise"');
  const [problem] = parseConfigText(text, path).problems;
  const range = problemRange(problem);
  const line = text.split('\n')[range.startLine];

  assert.equal(range.startLine, range.endLine);
  assert.equal(line.slice(range.startCharacter, range.endCharacter), '"batchSise"');
});
