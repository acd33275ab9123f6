import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sweepArgs } from './sweep-args';

const request = {
  configPath: '/w/iris.ensemble.json',
  storeRoot: '/w/.el',
  backend: 'wasm' as const,
};

test('a sweep with maxParallelMembers set passes it as --parallel', () => {
  const args = sweepArgs({ ...request, parallel: 3 });
  assert.deepEqual(args.slice(args.indexOf('--parallel'), args.indexOf('--parallel') + 2), [
    '--parallel',
    '3',
  ]);
});

test('a sweep with maxParallelMembers 0 (one per core) passes no --parallel', () => {
  assert.equal(sweepArgs(request).includes('--parallel'), false);
});

test('a resumed sweep names the sweep, not the config', () => {
  assert.deepEqual(sweepArgs({ ...request, resume: 's1', parallel: 2 }).slice(0, 3), [
    'sweep',
    '--resume',
    's1',
  ]);
});
