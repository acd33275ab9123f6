import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balancedLanes } from './planned';

test('five members on two cores go three at a time: two at a time would leave one alone', () => {
  assert.equal(balancedLanes(5, 2, 8), 3);
});

test('four members on two cores go two at a time: they divide evenly', () => {
  assert.equal(balancedLanes(4, 2, 8), 2);
});

test('seven members on two cores go four at a time', () => {
  assert.equal(balancedLanes(7, 2, 8), 4);
});

test('no more members are in flight than the pool allows', () => {
  assert.equal(balancedLanes(5, 2, 2), 2);
});

test('one core trains one member at a time', () => {
  assert.equal(balancedLanes(5, 1, 4), 1);
});
