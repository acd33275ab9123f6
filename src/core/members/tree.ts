import { DecisionTreeClassifier, DecisionTreeRegression, type CartNode } from 'ml-cart';
import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import { readFile, writeFile, rename, mkdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import type { MemberSpec } from '../config/types';
import type { Dataset } from '../data/types';
import { UserError } from '../errors';
import type { FitInput, FitOutput, MemberKindModule, TrainedModel } from './kind';

/*
 * CART trees (ml-cart) and random forests (ml-random-forest). Neither library takes sample
 * weights, so AdaBoost trains them on weighted resamples of the rows instead.
 */

const SAVED_FILE = 'tree.json';

type Tree = DecisionTreeClassifier | DecisionTreeRegression;
type Forest = RandomForestClassifier | RandomForestRegression;

/** One CART tree; `maxDepth: 1` is a decision stump. */
export const treeKind: MemberKindModule = {
  takesSampleWeights: false,
  fitsTargets: false,
  savedFile: SAVED_FILE,
  fit: (input) => fitTimed(input, () => fitTree(input)),
  load: async (dir) => {
    const saved = await readSaved(dir);
    return wrapTree(loadTree(saved), saved.kind, saved.classes);
  },
};

/** A random forest: `trees` CART trees, each on a bootstrap sample and a feature subset. */
export const forestKind: MemberKindModule = {
  takesSampleWeights: false,
  fitsTargets: false,
  savedFile: SAVED_FILE,
  fit: (input) => fitTimed(input, () => fitForest(input)),
  load: async (dir) => {
    const saved = await readSaved(dir);
    return wrapForest(loadForest(saved), saved.kind, saved.classes);
  },
};

function fitTree(input: FitInput): TrainedModel {
  const { x, y } = trainingRows(input);
  const options = cartOptions(input.spec, input.train.task);
  const tree =
    input.train.task === 'classification'
      ? new DecisionTreeClassifier(options)
      : new DecisionTreeRegression(options);
  tree.train(x, y);
  return wrapTree(tree, input.spec.model, input.train.classes.length);
}

function fitForest(input: FitInput): TrainedModel {
  const { x, y } = trainingRows(input);
  const options = {
    nEstimators: input.spec.trees,
    maxFeatures: input.spec.maxFeatures,
    replacement: false,
    seed: input.seed % 2 ** 31,
    noOOB: true,
    treeOptions: cartOptions(input.spec, input.train.task),
  };
  const forest =
    input.train.task === 'classification'
      ? new RandomForestClassifier(options)
      : new RandomForestRegression(options);
  forest.train(x, y);
  return wrapForest(forest, input.spec.model, input.train.classes.length);
}

async function fitTimed(input: FitInput, fit: () => TrainedModel): Promise<FitOutput> {
  if (input.sampleWeights)
    throw new Error(`member "${input.spec.name}" (${input.spec.model}) cannot take sample weights`);
  const started = performance.now();
  const model = fit();
  const fitMs = performance.now() - started;
  const history = [{ epoch: 1, loss: Number.NaN, learningRate: 0 }];
  return {
    model,
    result: {
      history,
      bestEpoch: 1,
      epochsRun: 1,
      stoppedEarly: false,
      stopRequested: false,
      cancelled: false,
      fitMs,
    },
  };
}

function cartOptions(spec: MemberSpec, task: Dataset['task']): object {
  return {
    gainFunction: task === 'classification' ? 'gini' : 'regression',
    maxDepth: spec.maxDepth ?? Infinity,
    minNumSamples: spec.minSamples,
  };
}

/** The member's rows as the plain arrays the libraries take. */
function trainingRows(input: FitInput): { x: number[][]; y: number[] } {
  const { train } = input;
  const rows = input.rows ?? Int32Array.from({ length: train.rows }, (_, i) => i);
  const x = Array.from(rows, (r) =>
    Array.from(train.x.subarray(r * train.features, (r + 1) * train.features)),
  );
  return { x, y: Array.from(rows, (r) => train.y[r]) };
}

function featureRows(data: Dataset): number[][] {
  return Array.from({ length: data.rows }, (_, r) =>
    Array.from(data.x.subarray(r * data.features, (r + 1) * data.features)),
  );
}

/** A tree predicts its leaf's class shares (padded to every class), or the leaf's mean. */
function wrapTree(tree: Tree, kind: string, classes: number): TrainedModel {
  return {
    predict: (data) => {
      const rows = featureRows(data);
      if (classes === 0) return Float32Array.from(tree.predict(rows));
      const out = new Float32Array(rows.length * classes);
      rows.forEach((row, r) => out.set(leafShares(tree.root, row, classes), r * classes));
      return out;
    },
    save: (dir) => writeSaved(dir, { kind, classes, model: tree.toJSON() }),
    parameters: nodeCount(tree.toJSON()),
    dispose: () => undefined,
  };
}

function leafShares(root: CartNode, row: number[], classes: number): Float32Array {
  const leaf = root.classify(row);
  const shares = typeof leaf === 'number' ? [leaf] : leaf.getRow(0);
  const padded = new Float32Array(classes);
  padded.set(shares.slice(0, classes));
  return padded;
}

/** A forest's class probabilities are the shares of its trees' votes; values are the mean. */
function wrapForest(forest: Forest, kind: string, classes: number): TrainedModel {
  return {
    predict: (data) => {
      const rows = featureRows(data);
      if (classes === 0) return Float32Array.from(forest.predict(rows));
      const votes = forest.predictionValues(rows).to2DArray();
      const out = new Float32Array(rows.length * classes);
      votes.forEach((row, r) => row.forEach((k) => (out[r * classes + k] += 1 / row.length)));
      return out;
    },
    save: (dir) => writeSaved(dir, { kind, classes, model: forest.toJSON() }),
    parameters: nodeCount(forest.toJSON()),
    dispose: () => undefined,
  };
}

/** Nodes of a saved tree or forest: every object with a split or a leaf distribution. */
function nodeCount(json: unknown): number {
  if (Array.isArray(json)) return json.reduce<number>((n, item) => n + nodeCount(item), 0);
  if (!json || typeof json !== 'object') return 0;
  const own = 'distribution' in json || 'splitValue' in json ? 1 : 0;
  return own + Object.values(json).reduce<number>((n, value) => n + nodeCount(value), 0);
}

interface SavedTree {
  kind: string;
  classes: number;
  model: { name?: string };
}

function loadTree(saved: SavedTree): Tree {
  return saved.model.name === 'DTClassifier'
    ? DecisionTreeClassifier.load(saved.model)
    : DecisionTreeRegression.load(saved.model);
}

function loadForest(saved: SavedTree): Forest {
  const model = saved.model as Parameters<typeof RandomForestClassifier.load>[0];
  return saved.model.name === 'RFClassifier'
    ? RandomForestClassifier.load(model)
    : RandomForestRegression.load(
        model as unknown as Parameters<typeof RandomForestRegression.load>[0],
      );
}

async function writeSaved(dir: string, saved: SavedTree): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, SAVED_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(saved));
  await rename(temporary, file);
}

async function readSaved(dir: string): Promise<SavedTree> {
  const file = path.join(dir, SAVED_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SavedTree;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(
      `cannot load the saved tree in folder ${dir} (${reason}); train the member again`,
      { file },
    );
  }
}
