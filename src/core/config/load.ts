import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getNodeValue, type Node, parseTree } from 'jsonc-parser';
import { UserError, UserErrors } from '../errors';
import type { Logger } from '../log';
import { duplicateKeyFindings, semanticFindings } from './checks';
import { explainSchemaErrors } from './messages';
import { LineMap, collectPositions } from './positions';
import { type ConfigProblem, type Finding, placeFinding } from './problems';
import type { RawConfig } from './raw';
import { resolveConfig } from './resolve';
import { sweepFindings } from './sweep-checks';
import { resolveSweep } from './sweep-resolve';
import { syntaxProblems } from './syntax';
import { validate } from './validate';
import type { EnsembleConfig } from './types';

export type { ConfigProblem } from './problems';
export { checkTaskCompatibility } from './task';
export { configHash } from './hash';

/**
 * Parses, validates and resolves the text of a config file. Reports every problem at once,
 * each placed for an editor; `config` is given when none of them is an error.
 * `path` is where the text comes from: relative data paths are resolved from its folder.
 */
export function parseConfigText(
  text: string,
  path: string,
): { config?: EnsembleConfig; problems: ConfigProblem[] } {
  const lines = new LineMap(text);
  const syntax = syntaxProblems(text, lines);
  if (syntax.length > 0) return { problems: syntax };

  const root = parseTree(text, [], { allowTrailingComma: true });
  if (root?.type !== 'object') {
    const message = 'the config must be one JSON object { ... } with at least "data" and "members"';
    return { problems: [{ message, severity: 'error', ...lines.range(root?.offset ?? 0, 1) }] };
  }

  return checkTree(root, lines, resolve(path));
}

function checkTree(
  root: Node,
  lines: LineMap,
  configPath: string,
): { config?: EnsembleConfig; problems: ConfigProblem[] } {
  const value: unknown = getNodeValue(root);
  const place = (findings: Finding[]): ConfigProblem[] =>
    findings.map((f) => placeFinding(f, root, lines)).sort(byPosition);
  const shape = [
    ...duplicateKeyFindings(root),
    ...explainSchemaErrors(validate(value) ?? [], root),
  ];
  if (shape.length > 0) return { problems: place(shape) };

  const raw = value as RawConfig;
  const sweep = raw.sweep ? { sweep: resolveSweep(raw.sweep) } : {};
  const config = {
    ...resolveConfig(raw, configPath),
    ...sweep,
    positions: collectPositions(root, lines),
  };
  const problems = place([...semanticFindings(raw, config), ...sweepFindings(raw, config, root)]);
  const failed = problems.some((p) => p.severity === 'error');

  return failed ? { problems } : { config, problems };
}

function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * Reads and resolves a config file. Throws UserError naming the file when it is missing, and
 * UserError (one problem) or UserErrors (several) with every error in it; warnings go to
 * `logger` as `file:line:col: message`.
 */
export async function loadConfig(path: string, logger?: Logger): Promise<EnsembleConfig> {
  const { file, config, problems } = await checkConfigFile(path);
  const toError = (p: ConfigProblem): UserError =>
    new UserError(p.message, { file, line: p.line, column: p.column });

  for (const p of problems.filter((x) => x.severity === 'warning')) {
    logger?.log('warn', toError(p).toString());
  }
  const errors = problems.filter((p) => p.severity === 'error').map(toError);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1 || !config) throw new UserErrors(errors);

  return config;
}

/**
 * Reads a config file and returns every problem in it, errors and warnings, each placed;
 * `config` when none is an error. Throws UserError only when the file cannot be read.
 */
export async function checkConfigFile(
  path: string,
): Promise<{ file: string; config?: EnsembleConfig; problems: ConfigProblem[] }> {
  const file = resolve(path);
  return { file, ...parseConfigText(await readConfigFile(file), file) };
}

async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(`config file "${file}" does not exist; check the path`, { file });
    }
    if (code === 'EISDIR') {
      throw new UserError(`"${file}" is a folder; give the path of a *.ensemble.json file`, {
        file,
      });
    }
    throw error;
  }
}
