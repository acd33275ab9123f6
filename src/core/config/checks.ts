import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Node } from 'jsonc-parser';
import { formatOfPath } from './resolve';
import type { JsonPath } from './positions';
import { type Finding, error, warning } from './problems';
import type { RawConfig, RawMember, RawTraining } from './raw';
import { taskMismatches } from './task';
import type { EnsembleConfig } from './types';

/*
 * Checks the schema cannot express: they read several settings at once, or the disk.
 */

/** Every semantic problem of a config that passed the schema. */
export function semanticFindings(raw: RawConfig, config: EnsembleConfig): Finding[] {
  return [
    ...dataFileFindings(raw, config.configPath),
    ...memberNameFindings(raw),
    ...metaNameFindings(raw),
    ...weightFindings(raw, config),
    ...memberKindFindings(raw),
    ...ownModelFindings(raw, config.configPath),
    ...unweightedTreeFindings(raw),
    ...settingUseFindings(raw),
    ...methodMemberFindings(raw),
    ...explicitTaskFindings(config),
  ];
}

/** Keys written twice in one object: JSON keeps the last silently, which hides mistakes. */
export function duplicateKeyFindings(node: Node, path: JsonPath = []): Finding[] {
  const children = node.children ?? [];
  if (node.type === 'array') {
    return children.flatMap((child, i) => duplicateKeyFindings(child, [...path, i]));
  }
  if (node.type !== 'object') return [];
  const seen = new Set<string>();

  return children.flatMap((property) => {
    const [key, value] = property.children ?? [];
    if (!key || !value) return [];
    const name = String(key.value);
    const inner = duplicateKeyFindings(value, [...path, name]);
    if (!seen.has(name)) {
      seen.add(name);
      return inner;
    }
    const twice = error([...path, name], `"${name}" is written twice here; keep one of them`);
    return [{ ...twice, node: key }, ...inner];
  });
}

function dataFileFindings(raw: RawConfig, configPath: string): Finding[] {
  const dir = dirname(configPath);
  const files: [JsonPath, string][] = [];
  const add = (path: JsonPath, value: string | { images: string; labels: string }): void => {
    if (typeof value === 'string') files.push([path, value]);
    else files.push([[...path, 'images'], value.images], [[...path, 'labels'], value.labels]);
  };
  add(['data', 'train'], raw.data.train);
  const test = raw.data.test;
  if (test && 'file' in test) add(['data', 'test', 'file'], test.file);
  if (test && 'images' in test) add(['data', 'test'], test);

  return [...files.flatMap(([path, file]) => missingFile(path, file, dir)), ...formatFindings(raw)];
}

function missingFile(path: JsonPath, file: string, dir: string): Finding[] {
  const absolute = isAbsolute(file) ? file : resolve(dir, file);
  if (existsSync(absolute)) return [];
  const message =
    `data file "${file}" does not exist (looked in ${dirname(absolute)}); ` +
    'check the path, which is relative to this config file';

  return [error(path, message, 'value')];
}

function formatFindings(raw: RawConfig): Finding[] {
  const { train, format } = raw.data;
  if (typeof train !== 'string') {
    return format
      ? [warning(['data', 'format'], '"format" applies to CSV and Parquet files only')]
      : [];
  }
  if (format || formatOfPath(train)) return [];
  const message =
    `cannot tell the format of "${train}" from its extension, so it is read as CSV; ` +
    'set "format" to "csv" or "parquet"';

  return [warning(['data', 'train'], message, 'value')];
}

/** Member names after `count` copies must be unique: runs, reports and weights use them. */
function memberNameFindings(raw: RawConfig): Finding[] {
  const owner = new Map<string, number>();
  const findings: Finding[] = [];
  raw.members.forEach((member, index) => {
    for (const name of expandedNames(member)) {
      const first = owner.get(name);
      if (first === undefined) {
        owner.set(name, index);
        continue;
      }
      const message =
        `member name "${name}" is already used by members[${first}]; ` +
        'give this member its own "name"';
      findings.push(error(['members', index, member.name ? 'name' : 'model'], message));
      break;
    }
  });

  return findings;
}

/** Stacking's meta-learner keeps its own member folder, so its name must be free. */
function metaNameFindings(raw: RawConfig): Finding[] {
  if (raw.ensemble?.method !== 'stacking') return [];
  const meta = raw.ensemble.stacking?.meta?.name ?? 'meta';
  const index = raw.members.findIndex((m) => expandedNames(m).includes(meta));
  if (index < 0) return [];
  const message =
    `member name "${meta}" is also the name of the stacking meta-learner; ` +
    'rename the member or give ensemble.stacking.meta its own "name"';
  return [error(['members', index, raw.members[index].name ? 'name' : 'model'], message)];
}

function expandedNames(member: RawMember): string[] {
  const name = member.name ?? member.model;
  const count = member.count ?? 1;
  return count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`);
}

function weightFindings(raw: RawConfig, config: EnsembleConfig): Finding[] {
  const weights = raw.ensemble?.weights;
  const members = config.members.length;
  if (config.ensemble.combine !== 'weighted') {
    const combine = config.ensemble.combine;
    const message = `"weights" are used only by combine "weighted", not "${combine}"`;
    return weights ? [warning(['ensemble', 'weights'], message)] : [];
  }
  if (!weights) {
    const message = `combine "weighted" needs "weights": one number per member, ${members} in all`;
    return [error(['ensemble', 'combine'], message)];
  }
  if (weights.length === members) return [];
  const names = config.members.map((m) => m.name).join(', ');
  const message =
    `"weights" has ${weights.length} entries but the ensemble has ${members} members ` +
    `after "count" copies (${names}); give one weight per member`;

  return [error(['ensemble', 'weights'], message)];
}

const KIND_OPTIONS: Record<RawMember['model'], readonly (keyof RawMember)[]> = {
  mlp: ['hidden', 'activation', 'dropout', 'batchNorm'],
  cnn: ['filters', 'kernelSize', 'dense', 'activation', 'dropout', 'batchNorm'],
  linear: [],
  tree: ['maxDepth', 'minSamples'],
  forest: ['maxDepth', 'minSamples', 'trees', 'maxFeatures'],
  custom: ['module', 'options'],
  saved: ['path', 'trainable'],
};
const SHAPE_OPTIONS: readonly (keyof RawMember)[] = [
  'hidden',
  'activation',
  'dropout',
  'batchNorm',
  'filters',
  'kernelSize',
  'dense',
  'maxDepth',
  'minSamples',
  'trees',
  'maxFeatures',
  'module',
  'options',
  'path',
  'trainable',
];

/** Options a member kind does not use are ignored, so say so; cnn members need images. */
function memberKindFindings(raw: RawConfig): Finding[] {
  const hasImages = typeof raw.data.train !== 'string' || raw.data.preprocess?.image !== undefined;

  return raw.members.flatMap((member, index) => {
    const unused = SHAPE_OPTIONS.filter(
      (o) => member[o] !== undefined && !KIND_OPTIONS[member.model].includes(o),
    );
    const findings = unused.map((o) =>
      warning(['members', index, o], `"${o}" has no effect on a "${member.model}" member`),
    );
    if (member.model === 'cnn' && !hasImages) {
      const message =
        'a "cnn" member needs images: set data.preprocess.image { "height", "width" } ' +
        'or use IDX data';
      findings.push(error(['members', index, 'model'], message, 'value'));
    }
    return findings;
  });
}

/** Member kinds that learn from sample weights; the others need AdaBoost's resampling. */
const WEIGHTED_KINDS: readonly RawMember['model'][] = ['mlp', 'cnn', 'linear', 'custom', 'saved'];

/** Member kinds whose networks the engine builds, so they can end in linear residual outputs. */
const RESIDUAL_KINDS: readonly RawMember['model'][] = ['mlp', 'cnn', 'linear'];

/** Members a method cannot train as written. */
function methodMemberFindings(raw: RawConfig): Finding[] {
  const method = raw.ensemble?.method;
  if (method === 'gradient-boosting') return residualFindings(raw);
  if (method === 'snapshot' || method === 'fge' || method === 'fusion')
    return warmStartFindings(raw, method);
  if (method !== 'adaboost' || raw.ensemble?.adaboost?.resample !== false) return [];

  return raw.members.flatMap((member, index) => {
    if (WEIGHTED_KINDS.includes(member.model)) return [];
    const message =
      `a "${member.model}" member cannot take AdaBoost's sample weights and ` +
      'ensemble.adaboost.resample is false; set "resample" to true or use an mlp or linear member';
    return [error(['members', index, 'model'], message, 'value')];
  });
}

/** The settings block of each method that has one, and the method it belongs to. */
const METHOD_BLOCKS = {
  adaboost: 'adaboost',
  gradientBoosting: 'gradient-boosting',
  stacking: 'stacking',
  selection: 'selection',
  pruning: 'pruning',
  snapshot: 'snapshot',
  fge: 'fge',
} as const;

/** Snapshot ensembles and FGE carry a network's weights from one cycle to the next. */
function warmStartFindings(raw: RawConfig, method: string): Finding[] {
  return raw.members.flatMap((member, index) => {
    if (WEIGHTED_KINDS.includes(member.model)) return [];
    const message =
      `method "${method}" carries a network's weights from cycle to cycle, which a ` +
      `"${member.model}" member has not; use an mlp, cnn or linear member`;
    return [error(['members', index, 'model'], message, 'value')];
  });
}

/** Gradient boosting's members fit residuals with squared error: networks only. */
function residualFindings(raw: RawConfig): Finding[] {
  return raw.members.flatMap((member, index) => {
    if (RESIDUAL_KINDS.includes(member.model)) return [];
    const message =
      `gradient boosting fits residuals with a network's squared error, which a ` +
      `"${member.model}" member cannot; use an mlp, cnn or linear member`;
    return [error(['members', index, 'model'], message, 'value')];
  });
}

/** Trees and forests take no weights: a weight setting that reaches one does nothing there. */
function unweightedTreeFindings(raw: RawConfig): Finding[] {
  const keys = ['classWeights', 'sampleWeightColumn'] as const;
  return raw.members.flatMap((member, index) => {
    if (WEIGHTED_KINDS.includes(member.model)) return [];
    return keys
      .filter((key) => (member.training?.[key] ?? raw.training?.[key]) !== undefined)
      .map((key) => {
        const message = `"${key}" has no effect on the "${member.model}" member "${member.name ?? member.model}": trees and forests take no weights`;
        const own = member.training?.[key] !== undefined;
        return warning(own ? ['members', index, 'training', key] : ['training', key], message);
      });
  });
}

/** A custom member needs its module, a saved member its model.json, and both must exist. */
function ownModelFindings(raw: RawConfig, configPath: string): Finding[] {
  const dir = dirname(configPath);
  return raw.members.flatMap((member, index) => {
    const key =
      member.model === 'custom' ? 'module' : member.model === 'saved' ? 'path' : undefined;
    if (!key) return [];
    const file = member[key];
    if (file === undefined) {
      const what =
        key === 'module'
          ? 'a JavaScript or TypeScript module that builds the model'
          : 'a TF.js model.json';
      return [
        error(
          ['members', index, 'model'],
          `a "${member.model}" member needs "${key}": ${what}`,
          'value',
        ),
      ];
    }
    const absolute = isAbsolute(file) ? file : resolve(dir, file);
    if (existsSync(absolute)) return [];
    const message = `"${file}" does not exist (looked in ${dirname(absolute)}); check the path, which is relative to this config file`;
    return [error(['members', index, key], message, 'value')];
  });
}

/** Methods whose combine step is their own (α-weighted vote, boosted sum, meta-learner, ...). */
const OWN_COMBINE: readonly string[] = [
  'adaboost',
  'gradient-boosting',
  'stacking',
  'selection',
  'pruning',
];

/** Settings that are valid but unused by the rest of the config. */
function settingUseFindings(raw: RawConfig): Finding[] {
  const findings: Finding[] = [];
  const method = raw.ensemble?.method ?? 'voting';
  for (const key of [
    'bootstrap',
    'maxSamples',
    'maxFeatures',
    'oobScore',
    'classBalanced',
  ] as const) {
    if (raw.ensemble?.[key] !== undefined && method !== 'bagging') {
      findings.push(
        warning(['ensemble', key], `"${key}" is used only by method "bagging", not "${method}"`),
      );
    }
  }
  if (raw.ensemble?.combine !== undefined && OWN_COMBINE.includes(method)) {
    const message = `"combine" is not used by method "${method}", which combines its members itself`;
    findings.push(warning(['ensemble', 'combine'], message));
  }
  for (const [block, owner] of Object.entries(METHOD_BLOCKS)) {
    if (raw.ensemble?.[block as keyof typeof METHOD_BLOCKS] !== undefined && method !== owner) {
      const message = `"${block}" is used only by method "${owner}", not "${method}"`;
      findings.push(warning(['ensemble', block], message));
    }
  }
  raw.members.forEach((m, i) => {
    if (m.level !== undefined && method !== 'stacking') {
      findings.push(warning(['members', i, 'level'], `"level" is used only by method "stacking"`));
    }
  });
  const blocks: [JsonPath, RawTraining | undefined][] = [[['training'], raw.training]];
  raw.members.forEach((m, i) => blocks.push([['members', i, 'training'], m.training]));
  for (const [path, training] of blocks)
    findings.push(...momentumFindings(path, training, raw.training));

  return findings;
}

function momentumFindings(
  path: JsonPath,
  block: RawTraining | undefined,
  base: RawTraining | undefined,
): Finding[] {
  const optimizer = block?.optimizer ?? base?.optimizer ?? 'adam';
  if (block?.momentum === undefined || optimizer !== 'adam') return [];
  return [
    warning(
      [...path, 'momentum'],
      '"momentum" is used only by the sgd and rmsprop optimizers, not adam',
    ),
  ];
}

function explicitTaskFindings(config: EnsembleConfig): Finding[] {
  const task = config.data.task;
  if (!task || !config.positions) return [];
  const positions = config.positions;

  return taskMismatches(config, task, (key) => key in positions).map((m) =>
    error(keyToPath(m.key), m.message, 'value'),
  );
}

/** `members[0].training.classWeights` back to a JSON path. */
function keyToPath(key: string): JsonPath {
  return key
    .split(/\.|(?=\[)/)
    .map((part) => (part.startsWith('[') ? Number(part.slice(1, -1)) : part));
}
