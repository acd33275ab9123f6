import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SamplerConfig, SweepParameter } from '../config/sweep-types';
import { combinations } from './grid';
import type { ObservedTrial } from './history';
import { createSampler } from './sampler';
import { splitTrials } from './tpe';
import type { Assignment } from './space';

/*
 * Samplers on cheap test functions: no training, so many seeds cost little.
 */

const SAMPLER: SamplerConfig = {
  type: 'tpe',
  seed: 0,
  startupTrials: 10,
  candidates: 24,
  gamma: 0.25,
  gridPoints: 5,
};

/** One parameter of each kind: a log float, a log int, a plain float and a choice. */
const MIXED: SweepParameter[] = [
  { path: 'training.learningRate', kind: 'float', low: 1e-5, high: 1, log: true },
  { path: 'members[0].hidden[0]', kind: 'int', low: 1, high: 256, step: 1, log: true },
  { path: 'members[0].dropout', kind: 'float', low: 0, high: 0.9, log: false },
  { path: 'members[0].activation', kind: 'categorical', choices: ['relu', 'tanh', 'elu', 'gelu'] },
];

/**
 * A shifted quadratic over the mixed space, 0 at learning rate 10^-2.5, width 48, dropout
 * 0.25 and tanh: distances in log scale where the parameter is searched in log scale.
 */
function shiftedQuadratic(a: Assignment): number {
  const lr = Math.log10(a['training.learningRate'] as number) + 2.5;
  const width = (Math.log2(a['members[0].hidden[0]'] as number) - Math.log2(48)) / 2;
  const dropout = ((a['members[0].dropout'] as number) - 0.25) / 0.3;
  const activation = a['members[0].activation'] === 'tanh' ? 0 : 1;
  return lr ** 2 + width ** 2 + dropout ** 2 + activation;
}

/** Runs a sampler for `budget` trials on a function and returns every trial. */
function minimize(
  config: SamplerConfig,
  parameters: SweepParameter[],
  f: (a: Assignment) => number,
  budget: number,
): ObservedTrial[] {
  const sampler = createSampler(config, parameters);
  const history: ObservedTrial[] = [];
  for (let number = 1; number <= budget; number++) {
    const params = sampler.suggest(number, history);
    if (!params) break;
    history.push({ number, state: 'completed', params, loss: f(params), curve: [] });
  }
  return history;
}

const bestLoss = (trials: ObservedTrial[]): number => Math.min(...trials.map((t) => t.loss ?? 0));

/** P(X >= wins) for X ~ Binomial(n, 1/2): the one-sided p-value of a sign test. */
function signTestP(wins: number, n: number): number {
  let p = 0;
  for (let k = wins; k <= n; k++) p += binomial(n, k) / 2 ** n;
  return p;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

test('TPE beats random search on the same budget, by a sign test over 40 seeds', () => {
  let wins = 0;
  let losses = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const tpe = bestLoss(minimize({ ...SAMPLER, seed }, MIXED, shiftedQuadratic, 30));
    const random = bestLoss(
      minimize({ ...SAMPLER, type: 'random', seed }, MIXED, shiftedQuadratic, 30),
    );
    if (tpe < random) wins++;
    if (tpe > random) losses++;
  }
  assert.ok(signTestP(wins, wins + losses) < 0.01, `TPE won ${wins}, lost ${losses}`);
});

test('TPE gives the same trials for the same seed and history', () => {
  const first = minimize({ ...SAMPLER, seed: 7 }, MIXED, shiftedQuadratic, 15);
  const second = minimize({ ...SAMPLER, seed: 7 }, MIXED, shiftedQuadratic, 15);
  assert.deepEqual(
    second.map((t) => t.params),
    first.map((t) => t.params),
  );
});

test('another seed gives other trials', () => {
  const first = minimize({ ...SAMPLER, seed: 7 }, MIXED, shiftedQuadratic, 3);
  const second = minimize({ ...SAMPLER, seed: 8 }, MIXED, shiftedQuadratic, 3);
  assert.notDeepEqual(
    second.map((t) => t.params),
    first.map((t) => t.params),
  );
});

test('every value TPE suggests lies in its range, on its step, or among its choices', () => {
  const stepped: SweepParameter[] = [
    { path: 'training.batchSize', kind: 'int', low: 16, high: 256, step: 16, log: false },
    ...MIXED,
  ];
  const f = (a: Assignment): number =>
    shiftedQuadratic(a) + Math.abs((a['training.batchSize'] as number) - 64) / 64;
  const trials = minimize(SAMPLER, stepped, f, 40);
  const outside = trials.flatMap((t) => {
    const batch = t.params['training.batchSize'] as number;
    const lr = t.params['training.learningRate'] as number;
    const width = t.params['members[0].hidden[0]'] as number;
    const bad = [
      batch % 16 !== 0 || batch < 16 || batch > 256,
      lr < 1e-5 || lr > 1,
      !Number.isInteger(width) || width < 1 || width > 256,
      !['relu', 'tanh', 'elu', 'gelu'].includes(t.params['members[0].activation'] as string),
    ];
    return bad.some(Boolean) ? [t.params] : [];
  });
  assert.deepEqual(outside, []);
});

test('after its startup trials TPE samples near the good trials more than random does', () => {
  const distance = (trials: ObservedTrial[]): number =>
    trials
      .slice(10)
      .reduce(
        (s, t) => s + Math.abs(Math.log10(t.params['training.learningRate'] as number) + 2.5),
        0,
      );
  const tpe = distance(minimize({ ...SAMPLER, seed: 3 }, MIXED, shiftedQuadratic, 40));
  const random = distance(
    minimize({ ...SAMPLER, type: 'random', seed: 3 }, MIXED, shiftedQuadratic, 40),
  );
  assert.ok(
    tpe < 0.75 * random,
    `mean distance in decades: TPE ${tpe / 30}, random ${random / 30}`,
  );
});

const CONDITIONAL: SweepParameter[] = [
  { path: 'training.optimizer', kind: 'categorical', choices: ['adam', 'sgd'] },
  {
    path: 'training.momentum',
    kind: 'float',
    low: 0.5,
    high: 0.99,
    log: false,
    when: { path: 'training.optimizer', values: ['sgd'] },
  },
];

test('a conditional parameter is given a value exactly when its condition holds', () => {
  const f = (a: Assignment): number =>
    a['training.optimizer'] === 'sgd' ? Math.abs((a['training.momentum'] as number) - 0.9) : 0.2;
  const trials = minimize({ ...SAMPLER, startupTrials: 5 }, CONDITIONAL, f, 30);
  const mismatched = trials.filter(
    (t) => (t.params['training.optimizer'] === 'sgd') !== 'training.momentum' in t.params,
  );
  assert.deepEqual(mismatched, []);
});

test('TPE on a conditional space learns the branch that scores better', () => {
  const f = (a: Assignment): number =>
    a['training.optimizer'] === 'sgd' ? Math.abs((a['training.momentum'] as number) - 0.9) : 0.5;
  const trials = minimize({ ...SAMPLER, startupTrials: 5 }, CONDITIONAL, f, 30);
  const sgdLater = trials.slice(5).filter((t) => t.params['training.optimizer'] === 'sgd').length;
  assert.ok(sgdLater >= 20, `${sgdLater} of 25 trials after startup chose sgd`);
});

test('a grid tries every combination once, then says it is done', () => {
  const grid: SweepParameter[] = [
    { path: 'ensemble.combine', kind: 'categorical', choices: ['soft-vote', 'hard-vote'] },
    { path: 'members[0].count', kind: 'int', low: 1, high: 3, step: 1, log: false },
  ];
  const trials = minimize({ ...SAMPLER, type: 'grid' }, grid, () => 0, 100);
  assert.deepEqual(
    trials.map((t) => t.params),
    [
      { 'ensemble.combine': 'soft-vote', 'members[0].count': 1 },
      { 'ensemble.combine': 'soft-vote', 'members[0].count': 2 },
      { 'ensemble.combine': 'soft-vote', 'members[0].count': 3 },
      { 'ensemble.combine': 'hard-vote', 'members[0].count': 1 },
      { 'ensemble.combine': 'hard-vote', 'members[0].count': 2 },
      { 'ensemble.combine': 'hard-vote', 'members[0].count': 3 },
    ],
  );
});

test('a grid spaces a log range evenly in log scale', () => {
  const [lr] = MIXED;
  const values = combinations([lr], 6).map((a) => Math.log10(a[lr.path] as number));
  values.forEach((v, i) => assert.ok(Math.abs(v - (-5 + i)) < 1e-9, `${v} at ${i}`));
});

test('a grid leaves out a conditional parameter where its condition fails', () => {
  const points = combinations(CONDITIONAL, 3);
  assert.deepEqual(points, [
    { 'training.optimizer': 'adam' },
    { 'training.optimizer': 'sgd', 'training.momentum': 0.5 },
    { 'training.optimizer': 'sgd', 'training.momentum': 0.745 },
    { 'training.optimizer': 'sgd', 'training.momentum': 0.99 },
  ]);
});

/**
 * Fifteen completed trials of a learning rate, then four suggestions in a row with each one
 * still running when the next is asked for (a sweep of `parallel` 4). Gives the smallest
 * distance in decades between two of the four. `seeRunning` false hides the running trials
 * from the sampler, which is what TPE fitted on finished trials only would do.
 */
function closestOfFour(seed: number, seeRunning: boolean): number {
  const rate: SweepParameter = MIXED[0];
  const sampler = createSampler({ ...SAMPLER, seed }, [rate]);
  const history = minimize({ ...SAMPLER, seed }, [rate], shiftedRate, 15);
  const batch: number[] = [];
  for (let number = 16; number <= 19; number++) {
    const seen = seeRunning ? history : history.filter((t) => t.state !== 'running');
    const params = sampler.suggest(number, seen) ?? {};
    batch.push(Math.log10(params[rate.path] as number));
    history.push({ number, state: 'running', params, curve: [] });
  }

  return Math.min(...batch.flatMap((a, i) => batch.slice(i + 1).map((b) => Math.abs(a - b))));
}

/** 0 at a learning rate of 10^-2.5, in squared decades. */
function shiftedRate(a: Assignment): number {
  return (Math.log10(a['training.learningRate'] as number) + 2.5) ** 2;
}

test('TPE counts running trials as bad, so trials asked for at once spread out', () => {
  const seeds = Array.from({ length: 30 }, (_, i) => i + 1);
  const mean = (seeRunning: boolean): number =>
    seeds.reduce((sum, seed) => sum + closestOfFour(seed, seeRunning), 0) / seeds.length;
  const [liar, blind] = [mean(true), mean(false)];

  assert.ok(
    liar > 2 * blind,
    `closest pair: ${liar} decades with running trials, ${blind} without`,
  );
});

test('a running trial is bad and leaves the number of good trials to the finished ones', () => {
  const done = (number: number, loss: number): ObservedTrial => ({
    number,
    state: 'completed',
    params: {},
    loss,
    curve: [],
  });
  const running: ObservedTrial = { number: 5, state: 'running', params: {}, curve: [] };
  const { good, bad } = splitTrials([done(1, 3), done(2, 1), done(3, 2), done(4, 4), running], 0.5);

  assert.deepEqual(
    [good.map((t) => t.number), bad.map((t) => t.number)],
    [
      [2, 3],
      [1, 4, 5],
    ],
  );
});
