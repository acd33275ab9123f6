import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObservedTrial } from './history';
import { ashaPruner, medianPruner, rungOf } from './pruner';

/** A finished trial with these intermediate losses, one per epoch. */
function trial(
  number: number,
  curve: number[],
  state: ObservedTrial['state'] = 'completed',
): ObservedTrial {
  return { number, state, params: {}, loss: curve.at(-1), curve };
}

const EARLIER = [trial(1, [0.9, 0.5, 0.3]), trial(2, [0.8, 0.6, 0.4]), trial(3, [0.7, 0.7, 0.5])];

test('the median pruner stops a trial worse than the median of completed trials there', () => {
  const reason = medianPruner(3, 1).prune({ number: 4, epoch: 2, loss: 0.65, others: EARLIER });
  assert.match(reason ?? '', /pruned at epoch 2: 0.65 is worse than the median 0.6 of 3/);
});

test('the median pruner lets a trial at the median go on', () => {
  assert.equal(
    medianPruner(3, 1).prune({ number: 4, epoch: 2, loss: 0.6, others: EARLIER }),
    undefined,
  );
});

test('the median pruner never stops a trial during its warm-up epochs', () => {
  assert.equal(
    medianPruner(3, 2).prune({ number: 4, epoch: 2, loss: 5, others: EARLIER }),
    undefined,
  );
});

test('the median pruner waits for enough completed trials at that epoch', () => {
  const others = [...EARLIER.slice(0, 2), trial(3, [0.1, 0.1], 'pruned')];
  assert.equal(medianPruner(3, 0).prune({ number: 4, epoch: 2, loss: 5, others }), undefined);
});

test('ASHA rungs sit at minEpochs times powers of the reduction factor', () => {
  const rungs = Array.from({ length: 30 }, (_, i) => rungOf(i + 1, 2, 3));
  const at = rungs.flatMap((r, i) => (r === undefined ? [] : [[i + 1, r]]));
  assert.deepEqual(at, [
    [2, 0],
    [6, 1],
    [18, 2],
  ]);
});

test('ASHA keeps a trial in the best third of those that reached its rung', () => {
  const others = [
    trial(1, [0.9]),
    trial(2, [0.8]),
    trial(3, [0.7]),
    trial(4, [0.6]),
    trial(5, [0.5]),
  ];
  assert.equal(ashaPruner(1, 3).prune({ number: 6, epoch: 1, loss: 0.55, others }), undefined);
});

test('ASHA stops a trial outside the best third of those that reached its rung', () => {
  const others = [
    trial(1, [0.9]),
    trial(2, [0.8]),
    trial(3, [0.7]),
    trial(4, [0.6]),
    trial(5, [0.5]),
  ];
  const reason = ashaPruner(1, 3).prune({ number: 6, epoch: 1, loss: 0.65, others });
  assert.match(reason ?? '', /2 of 5 trials did better there, and only the best 2 go on/);
});

test('ASHA counts pruned trials that reached the rung among the rivals there', () => {
  const others = [trial(1, [0.2], 'pruned'), trial(2, [0.3], 'pruned')];
  assert.match(ashaPruner(1, 3).prune({ number: 3, epoch: 1, loss: 0.4, others }) ?? '', /pruned/);
});

test('ASHA says nothing between rungs', () => {
  const others = [trial(1, [0.1, 0.1]), trial(2, [0.1, 0.1]), trial(3, [0.1, 0.1])];
  assert.equal(ashaPruner(1, 3).prune({ number: 4, epoch: 2, loss: 9, others }), undefined);
});
