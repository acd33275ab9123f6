import type { ErrorObject } from 'ajv';
import type { Node } from 'jsonc-parser';
import { type JsonPath, pathKey, pointerToPath } from './positions';
import { type Finding, error } from './problems';
import { didYouMean } from './suggest';

/*
 * Turns ajv's errors into one sentence each that says what to change. Errors inside an
 * `anyOf` are first narrowed to the alternative the user most likely meant.
 */

type SchemaNode = Record<string, unknown>;

/** Every schema error as a finding at the setting it is about. */
export function explainSchemaErrors(errors: ErrorObject[], root: Node): Finding[] {
  const findings = narrowAlternatives(errors.filter((e) => e.keyword !== 'if')).map((e) =>
    explain(e, pointerToPath(root, e.instancePath)),
  );
  const seen = new Set<string>();

  return findings.filter((f) => {
    const key = `${pathKey(f.path)}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Replaces each failed `anyOf` and its branches' errors by the errors of the closest branch. */
function narrowAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf');
  const inBranch = (e: ErrorObject): boolean =>
    alternatives.some((a) => e.schemaPath.startsWith(`${a.schemaPath}/`));
  const plain = errors.filter((e) => e.keyword !== 'anyOf' && !inBranch(e));
  const narrowed = alternatives.flatMap((a) =>
    closestBranch(
      a,
      errors.filter((e) => e.schemaPath.startsWith(`${a.schemaPath}/`)),
    ),
  );

  return [...plain, ...narrowed];
}

/**
 * A branch misfits when the value is of another JSON type, or its `type` tag names another
 * branch; of the branches that fit, the one with fewest errors wins. When none fits, one error
 * on the `anyOf` itself says which forms are accepted.
 */
function closestBranch(anyOf: ErrorObject, branchErrors: ErrorObject[]): ErrorObject[] {
  const branches = new Map<number, ErrorObject[]>();
  for (const e of branchErrors) {
    const index = Number(e.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0]);
    branches.set(index, [...(branches.get(index) ?? []), e]);
  }
  const misfits = (list: ErrorObject[]): boolean =>
    list.some(
      (e) =>
        e.keyword === 'const' || (e.keyword === 'type' && e.instancePath === anyOf.instancePath),
    );
  const fitting = [...branches.values()].filter((list) => !misfits(list));
  if (fitting.length > 0) return fitting.reduce((a, b) => (b.length < a.length ? b : a));

  const tags = branchErrors.filter((e) => e.keyword === 'const');
  return tags.length > 0 ? [mergeTags(tags)] : [anyOf];
}

/** Several `const` tags that all failed read as one enum: `"type" must be one of ...`. */
function mergeTags(tags: ErrorObject[]): ErrorObject {
  const allowed = tags.map((t) => (t.params as { allowedValue: unknown }).allowedValue);
  return { ...tags[0], keyword: 'enum', params: { allowedValues: allowed } };
}

function explain(e: ErrorObject, path: JsonPath): Finding {
  const name = `"${settingName(path)}"`;
  const parent = e.parentSchema as SchemaNode | undefined;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownSetting(path, String(params.additionalProperty), parent);
    case 'required':
      return missingSetting(path, String(params.missingProperty), parent);
    case 'enum':
      return error(path, oneOf(name, params.allowedValues as unknown[], e.data), 'value');
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return error(path, `${name} must be ${numberWords(parent)}, not ${show(e.data)}`, 'value');
    case 'anyOf':
      return error(path, `${name} must be ${alternatives(e.schema as SchemaNode[])}`, 'value');
    default:
      return error(path, otherMessage(name, e), 'value');
  }
}

function otherMessage(name: string, e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'minItems') return `${name} needs at least ${String(params.limit)} entry`;
  if (e.keyword === 'minLength') return `${name} must not be empty`;
  if (e.keyword === 'uniqueItems') {
    const list = e.data as unknown[];
    return `${name} lists ${show(list[Number(params.j)])} twice; remove one`;
  }
  return `${name} ${e.message ?? 'is not valid'}`;
}

/** The last key of a path, with an index when it ends in an array item: `hidden[1]`. */
function settingName(path: JsonPath): string {
  const lastKey = path.findLastIndex((p) => typeof p === 'string');
  if (lastKey < 0) return pathKey(path) || 'the config';
  return pathKey(path.slice(lastKey));
}

/** `"training"`, `"members[0].training"`, or `the config` for the top level. */
function where(path: JsonPath): string {
  return path.length === 0 ? 'the config' : `"${pathKey(path)}"`;
}

function unknownSetting(parent: JsonPath, key: string, schema: SchemaNode | undefined): Finding {
  const known = Object.keys((schema?.properties as SchemaNode | undefined) ?? {});
  const hint = didYouMean(key, known) || `; the settings there are ${known.join(', ')}`;
  const of = parent.length === 0 ? 'a top-level setting' : `a setting of ${where(parent)}`;
  return error([...parent, key], `"${key}" is not ${of}${hint}`, 'key');
}

function missingSetting(parent: JsonPath, key: string, schema: SchemaNode | undefined): Finding {
  const property = (schema?.properties as Record<string, SchemaNode> | undefined)?.[key];
  const about = firstSentence(property?.description ?? schema?.description);
  return error(parent, `${where(parent)} needs "${key}"${about ? ` (${about})` : ''}`, 'key');
}

function firstSentence(text: unknown): string {
  if (typeof text !== 'string') return '';
  const sentence = text.split(/\.(\s|$)/)[0].replace(/`/g, '"');
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function oneOf(name: string, allowed: unknown[], value: unknown): string {
  const words = allowed.map(String);
  const hint = typeof value === 'string' ? didYouMean(value, words) : '';
  const choices = words.length === 1 ? `"${words[0]}"` : `one of ${words.join(', ')}`;
  return `${name} must be ${choices}; ${show(value)} is not one of them${hint}`;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** `a whole number at least 1`, `a number greater than 0 and less than 1`, `true or false`. */
function numberWords(schema: SchemaNode | undefined): string {
  const type = kindWords(schema?.type);
  const bounds = [
    bound(schema, 'minimum', 'at least'),
    bound(schema, 'exclusiveMinimum', 'greater than'),
    bound(schema, 'maximum', 'at most'),
    bound(schema, 'exclusiveMaximum', 'less than'),
  ].filter(Boolean);

  return [type, bounds.join(' and ')].filter(Boolean).join(' ');
}

function bound(schema: SchemaNode | undefined, keyword: string, words: string): string {
  const limit = schema?.[keyword];
  return typeof limit === 'number' ? `${words} ${limit}` : '';
}

function kindWords(type: unknown): string {
  const words: Record<string, string> = {
    integer: 'a whole number',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list [ ... ]',
    object: 'an object { ... }',
  };
  return typeof type === 'string' ? (words[type] ?? type) : 'a value';
}

/** The forms an `anyOf` accepts: `a string, or an object with "images" and "labels"`. */
function alternatives(branches: SchemaNode[]): string {
  const objects = branches.filter((b) => b.type === 'object');
  const forms = branches.map((b) => {
    if (b.enum) return (b.enum as unknown[]).map(show).join(' or ');
    if (b.type !== 'object') return kindWords(b.type);
    const required = (b.required as string[] | undefined) ?? [];
    return objects.length > 1 || required.length === 0
      ? 'an object { ... }'
      : `an object with ${required.map((r) => `"${r}"`).join(' and ')}`;
  });

  return [...new Set(forms)].join(', or ');
}
