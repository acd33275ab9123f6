import schema from '../../../schema/ensemble.schema.json';
import { type JsonPath, pathKey } from './positions';
import { didYouMean } from './suggest';

/*
 * Paths into a config as a sweep names them: `training.learningRate`, `members[0].hidden[1]`.
 */

type SchemaNode = Record<string, unknown>;

const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\])/;

/** `members[0].hidden[1]` as keys and indices; undefined when it is not written that way. */
export function parseConfigPath(text: string): JsonPath | undefined {
  const path: JsonPath = [];
  for (let rest = text; rest.length > 0;) {
    const match = SEGMENT.exec(rest);
    if (!match || (path.length === 0 && rest.startsWith('.'))) return undefined;
    path.push(match[1] ?? Number(match[2]));
    rest = rest.slice(match[0].length);
  }

  return path.length > 0 && typeof path[0] === 'string' ? path : undefined;
}

/** The value at a path of a plain JSON value, or undefined. */
export function getAtPath(value: unknown, path: JsonPath): unknown {
  let node: unknown = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Sets the value at a path in place, creating the objects on the way; returns `target`. */
export function setAtPath(target: unknown, path: JsonPath, value: unknown): unknown {
  let node = target as Record<string | number, unknown>;
  path.slice(0, -1).forEach((key) => {
    node[key] ??= {};
    node = node[key] as Record<string | number, unknown>;
  });
  node[path[path.length - 1]] = value;

  return target;
}

/**
 * Why a path does not name a setting of this config, or undefined when it does. A key is a
 * setting when the schema knows it, written or not (its default is then replaced); an index
 * must be an entry the config has.
 */
export function findSetting(raw: unknown, path: JsonPath): string | undefined {
  if (path[0] === 'sweep' || path[0] === '$schema') return `"${path[0]}" cannot be searched`;
  let node: SchemaNode | undefined = schema as SchemaNode;

  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const here = pathKey(path.slice(0, i)) || 'the config';
    const written = getAtPath(raw, path.slice(0, i));
    const problem =
      typeof key === 'number'
        ? indexProblem(written, key, here)
        : (scalarProblem(written, here) ?? keyProblem(node, key, here));
    if (problem) return problem;
    node = childSchema(node, key);
  }
  return undefined;
}

function scalarProblem(written: unknown, here: string): string | undefined {
  if (written === undefined || (typeof written === 'object' && !Array.isArray(written))) return;
  return `"${here}" is written as ${Array.isArray(written) ? 'a list' : 'a value'}, not an object`;
}

function indexProblem(written: unknown, index: number, here: string): string | undefined {
  if (!Array.isArray(written)) return `"${here}" is not a list written in this config`;
  if (index < written.length) return undefined;
  const entries = written.length === 1 ? '1 entry' : `${written.length} entries`;
  return `"${here}" has ${entries}, so there is no [${index}]`;
}

function keyProblem(node: SchemaNode | undefined, key: string, here: string): string | undefined {
  const known = branches(node).flatMap((b) => Object.keys((b.properties as SchemaNode) ?? {}));
  const open = branches(node).some((b) => typeof b.additionalProperties === 'object');
  if (known.includes(key) || open) return undefined;
  if (known.length === 0) return `"${here}" has no settings inside it`;

  const parent = here === 'the config' ? here : `"${here}"`;
  return `"${key}" is not a setting of ${parent}${didYouMean(key, known)}`;
}

function childSchema(node: SchemaNode | undefined, key: string | number): SchemaNode | undefined {
  for (const branch of branches(node)) {
    if (typeof key === 'number' && branch.items) return branch.items as SchemaNode;
    const property = (branch.properties as Record<string, SchemaNode> | undefined)?.[String(key)];
    if (property) return property;
    if (typeof branch.additionalProperties === 'object')
      return branch.additionalProperties as SchemaNode;
  }
  return undefined;
}

/** A schema node with its `$ref` followed and its `anyOf` branches spread out. */
function branches(node: SchemaNode | undefined): SchemaNode[] {
  if (!node) return [];
  const target = follow(node);
  const alternatives = target.anyOf as SchemaNode[] | undefined;
  return alternatives ? [target, ...alternatives.flatMap(branches)] : [target];
}

function follow(node: SchemaNode): SchemaNode {
  if (typeof node.$ref !== 'string') return node;
  const parts = node.$ref.slice(2).split('/');
  const target = parts.reduce<SchemaNode>((n, key) => n[key] as SchemaNode, schema as SchemaNode);
  return { ...target, ...node, $ref: undefined };
}
