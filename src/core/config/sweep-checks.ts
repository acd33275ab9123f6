import type { Node } from 'jsonc-parser';
import { CLASSIFICATION_METRIC_NAMES, REGRESSION_METRIC_NAMES } from '../metrics/names';
import { explainSchemaErrors } from './messages';
import type { JsonPath } from './positions';
import { type Finding, error } from './problems';
import type { RawConfig } from './raw';
import { findSetting, parseConfigPath, setAtPath } from './sweep-paths';
import type { ParameterValue, RawSweepParameter } from './sweep-types';
import type { EnsembleConfig } from './types';
import { validate } from './validate';

/*
 * Checks of the `sweep` section that the schema cannot express: the paths searched must be
 * settings of this config, ranges must not be empty, every value tried must be valid where it
 * goes, and the objective must be a metric this config reports.
 */

const PARAMETERS: JsonPath = ['sweep', 'parameters'];

/** Every problem of a config's `sweep` section, once the config passed the schema. */
export function sweepFindings(raw: RawConfig, config: EnsembleConfig, root: Node): Finding[] {
  const sweep = raw.sweep;
  if (!sweep) return [];
  const entries = Object.entries(sweep.parameters);

  return [
    ...entries.flatMap(([path, p], i) =>
      parameterFindings(raw, root, path, p, entries.slice(0, i)),
    ),
    ...objectiveFindings(raw, config),
  ];
}

function parameterFindings(
  raw: RawConfig,
  root: Node,
  path: string,
  parameter: RawSweepParameter,
  earlier: [string, RawSweepParameter][],
): Finding[] {
  const missing = pathFinding(raw, path);
  if (missing) return [missing];
  const range = rangeFindings(path, parameter);
  if (range.length > 0) return range;

  return [
    ...conditionFindings(path, parameter, earlier),
    ...valueFindings(raw, root, path, parameter),
  ];
}

function pathFinding(raw: RawConfig, path: string): Finding | undefined {
  const parsed = parseConfigPath(path);
  const problem = parsed ? findSetting(raw, parsed) : 'it is not written like a:path[0].b';
  if (problem === undefined) return undefined;
  const hint = problem.endsWith('?')
    ? ''
    : '; give the path of a setting, such as "training.learningRate" or "members[0].hidden[0]"';
  const message = `the searched setting "${path}" does not exist in this config: ${problem}${hint}`;

  return error([...PARAMETERS, path], message, 'key');
}

function rangeFindings(path: string, p: RawSweepParameter): Finding[] {
  if (p.type === 'categorical') return [];
  const at = [...PARAMETERS, path];
  if (p.low >= p.high) {
    const message =
      `the range of "${path}" is empty: "high" (${p.high}) must be greater than ` +
      `"low" (${p.low})`;
    return [error([...at, 'high'], message, 'value')];
  }
  if (p.type !== 'int') return [];
  const step = p.step ?? 1;
  if (p.log && step !== 1) {
    return [error([...at, 'step'], `"${path}" is searched in log scale, so "step" must be 1`)];
  }
  if (p.log && p.low < 1) {
    return [
      error(
        [...at, 'low'],
        `"${path}" is searched in log scale, so "low" must be 1 or more`,
        'value',
      ),
    ];
  }
  return [];
}

function conditionFindings(
  path: string,
  p: RawSweepParameter,
  earlier: [string, RawSweepParameter][],
): Finding[] {
  const [entry] = Object.entries(p.when ?? {});
  if (!entry) return [];
  const [on, wanted] = entry;
  const at = [...PARAMETERS, path, 'when', on];
  const parent = earlier.find(([name]) => name === on)?.[1];
  if (!parent) {
    const message =
      `"${path}" depends on "${on}", which is not a searched setting written before it; ` +
      'name one of the settings above it in "parameters"';
    return [error(at, message, 'key')];
  }

  const values = Array.isArray(wanted) ? wanted : [wanted];
  const never = values.filter((v) => !canTake(parent, v));
  if (never.length === 0) return [];
  const message =
    `"${on}" never takes the value ${show(never[0])}, ` + `so "${path}" would never be searched`;
  return [error(at, message, 'value')];
}

function canTake(p: RawSweepParameter, value: ParameterValue): boolean {
  if (p.type === 'categorical') return p.choices.includes(value);
  return typeof value === 'number' && value >= p.low && value <= p.high;
}

/** Tries the extreme values of a range, and every choice, where they go in the config. */
function valueFindings(raw: RawConfig, root: Node, path: string, p: RawSweepParameter): Finding[] {
  const probes = p.type === 'categorical' ? p.choices : [p.low, p.high];
  const parsed = parseConfigPath(path) ?? [];

  for (const value of probes) {
    const trial = setAtPath(structuredClone(raw), parsed, value) as RawConfig;
    delete trial.sweep;
    const [first] = explainSchemaErrors(validate(trial), root);
    if (!first) continue;
    const message =
      `searching "${path}" would try ${show(value)}, but then ${first.message}; ` +
      'change the range or the choices';
    return [error([...PARAMETERS, path], message, 'key')];
  }
  return [];
}

function objectiveFindings(raw: RawConfig, config: EnsembleConfig): Finding[] {
  const objective = raw.sweep?.objective;
  const findings: Finding[] = [];
  const task = config.data.task;
  const metric = objective?.metric;
  const names: readonly string[] =
    task === 'regression' ? REGRESSION_METRIC_NAMES : CLASSIFICATION_METRIC_NAMES;
  if (metric && task && !names.includes(metric)) {
    const message =
      `the objective "${metric}" is not a metric of ${task} ensembles; ` +
      `use one of ${names.join(', ')}`;
    findings.push(error(['sweep', 'objective', 'metric'], message, 'value'));
  }
  if ((objective?.split ?? 'validation') === 'validation' && config.data.validationFraction === 0) {
    const message =
      'the objective is measured on validation rows, but "data.validation.fraction" is 0; ' +
      'raise it, or set the objective\'s "split" to "test"';
    findings.push(error(['sweep', 'objective'], message));
  }
  return findings;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
