import assert from 'node:assert/strict';
import { test } from 'node:test';
import schema from '../../../schema/ensemble.schema.json';
import {
  ADABOOST_DEFAULTS,
  BAGGING_DEFAULTS,
  DATA_DEFAULTS,
  EARLY_STOPPING_DEFAULTS,
  GRADIENT_BOOSTING_DEFAULTS,
  MEMBER_DEFAULTS,
  PREPROCESS_DEFAULTS,
  PRUNING_DEFAULTS,
  SELECTION_DEFAULTS,
  STACKING_DEFAULTS,
  TRAINING_DEFAULTS,
} from './defaults';
import { levenshtein, nearest } from './suggest';

type SchemaNode = { [key: string]: unknown };

/** Every property schema in the file, with its JSON path, for checks over the whole schema. */
function properties(node: unknown, path = ''): [string, SchemaNode][] {
  if (Array.isArray(node)) return node.flatMap((n, i) => properties(n, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const object = node as SchemaNode;
  const own = Object.entries((object.properties as Record<string, SchemaNode> | undefined) ?? {});
  const here = own.map(([key, value]): [string, SchemaNode] => [`${path}/${key}`, value]);
  const nested = Object.entries(object).flatMap(([key, value]) =>
    properties(value, `${path}/${key}`),
  );
  return [...here, ...nested];
}

function defaultAt(path: string[]): unknown {
  let node: unknown = schema;
  for (const key of path) node = (node as SchemaNode)[key];
  return (node as SchemaNode).default;
}

/** The schema a `$ref` points at, or the node itself. */
function follow(node: SchemaNode): SchemaNode {
  if (typeof node.$ref !== 'string') return node;
  return node.$ref
    .slice(2)
    .split('/')
    .reduce<SchemaNode>((n, key) => n[key] as SchemaNode, schema as SchemaNode);
}

test('every property in the schema has a description, for editor hovers', () => {
  const bare = properties(schema)
    .filter(([path]) => !path.includes('/if/'))
    .filter(([, p]) => typeof (p.description ?? follow(p).description) !== 'string')
    .map(([path]) => path);
  assert.deepEqual(bare, []);
});

test('every object in the schema forbids unknown keys (maps of columns and weights aside)', () => {
  const open = properties(schema)
    .filter(([, p]) => p.type === 'object' && p.additionalProperties === undefined)
    .map(([path]) => path);
  assert.deepEqual(open, []);
});

test('the training defaults in the schema are the ones the resolver applies', () => {
  const training = ['definitions', 'training', 'properties'];
  const keys = ['epochs', 'batchSize', 'optimizer', 'learningRate', 'momentum', 'seed'] as const;
  assert.deepEqual(
    keys.map((k) => defaultAt([...training, k])),
    keys.map((k) => TRAINING_DEFAULTS[k]),
  );
});

test('member, bagging, early stopping and data defaults in the schema match the resolver', () => {
  const member = ['definitions', 'member', 'properties'];
  const ensemble = ['definitions', 'ensemble', 'properties'];
  const stopping = ['definitions', 'earlyStopping', 'properties'];
  const data = ['definitions', 'data', 'properties'];
  assert.deepEqual(
    [
      ...Object.keys(MEMBER_DEFAULTS).map((k) => defaultAt([...member, k])),
      ...Object.keys(BAGGING_DEFAULTS).map((k) => defaultAt([...ensemble, k])),
      ...Object.keys(EARLY_STOPPING_DEFAULTS).map((k) => defaultAt([...stopping, k])),
      defaultAt([...data, 'test']),
      defaultAt([...data, 'validation']),
      defaultAt([...data, 'preprocess', 'properties', 'numeric']),
      defaultAt([...data, 'preprocess', 'properties', 'impute']),
    ],
    [
      ...Object.values(MEMBER_DEFAULTS),
      ...Object.values(BAGGING_DEFAULTS),
      ...Object.values(EARLY_STOPPING_DEFAULTS),
      { fraction: DATA_DEFAULTS.testFraction, stratify: DATA_DEFAULTS.stratify },
      { fraction: DATA_DEFAULTS.validationFraction },
      PREPROCESS_DEFAULTS.numeric,
      PREPROCESS_DEFAULTS.impute,
    ],
  );
});

test('the settings of every ensemble method in the schema default to the resolver', () => {
  const ensemble = ['definitions', 'ensemble', 'properties'];
  const at = (block: string, key: string): unknown =>
    defaultAt([...ensemble, block, 'properties', key]);
  assert.deepEqual(
    [
      ...Object.keys(ADABOOST_DEFAULTS).map((k) => at('adaboost', k)),
      ...Object.keys(GRADIENT_BOOSTING_DEFAULTS).map((k) => at('gradientBoosting', k)),
      at('stacking', 'folds'),
      at('stacking', 'passthrough'),
      at('selection', 'rounds'),
      at('pruning', 'keep'),
      at('pruning', 'by'),
    ],
    [
      ...Object.values(ADABOOST_DEFAULTS),
      ...Object.values(GRADIENT_BOOSTING_DEFAULTS),
      STACKING_DEFAULTS.folds,
      STACKING_DEFAULTS.passthrough,
      SELECTION_DEFAULTS.rounds,
      PRUNING_DEFAULTS.keep,
      PRUNING_DEFAULTS.by,
    ],
  );
});

test('edit distance counts one substitution, one insertion and one deletion', () => {
  assert.deepEqual(
    [
      levenshtein('optimiser', 'optimizer'),
      levenshtein('epoch', 'epochs'),
      levenshtein('kitten', 'sitting'),
    ],
    [1, 1, 3],
  );
});

test('a far word gets no suggestion', () => {
  assert.equal(nearest('boosting', ['voting', 'averaging', 'bagging']), undefined);
});

test('case, hyphens and underscores do not stop a suggestion', () => {
  assert.equal(nearest('learning_rate', ['learningRate', 'momentum']), 'learningRate');
});
