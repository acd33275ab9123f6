import { existsSync } from 'node:fs';
import type { EnsembleConfig, MemberKind } from '../config/types';
import { applyPreprocessor, subsetDataset } from '../data/prepare';
import type { RawTable } from '../data/csv';
import type { Dataset, PreprocessorState } from '../data/types';
import { combineWith, type Combiner } from '../ensembles/combine';
import { outputWidth } from '../ensembles/evaluate';
import { stackedDataset } from '../ensembles/stacked-features';
import { UserError } from '../errors';
import { memberKind } from '../members/kinds';
import type { MemberReport } from './report';
import type { Run } from './store';

export interface Predictions {
  data: Dataset;
  /** Combined outputs, rows x width. */
  outputs: Float32Array;
  width: number;
  members: string[];
}

/** One finished member's outputs on a data set, rows x width (probabilities or values). */
export interface MemberPrediction {
  name: string;
  outputs: Float32Array;
}

/** What a run kept to use its members again: the resolved config and the fitted preprocessing. */
export interface RunSetup {
  config: EnsembleConfig;
  preprocessor: PreprocessorState;
}

/** The ensemble's outputs, the members it combined and how it combined them. */
export interface EnsemblePrediction {
  members: MemberPrediction[];
  outputs: Float32Array;
  combiner: Combiner;
}

/** combiner.json: the members a finished run combines, and how. */
export interface SavedCombiner {
  members: string[];
  combiner: Combiner;
}

/**
 * Predicts new rows with a run's finished members, preprocessing them exactly as the run's
 * training rows were. Works for interrupted runs too: it uses whichever members finished.
 */
export async function predictWithRun(run: Run, table: RawTable): Promise<Predictions> {
  const { config, preprocessor } = readRunSetup(run);
  const data = applyPreprocessor(preprocessor, table, false);
  const { members, outputs } = await predictEnsemble(run, config, data);

  return { data, outputs, width: outputWidth(data), members: members.map((m) => m.name) };
}

/**
 * The ensemble's outputs on rows already preprocessed the run's way, and the outputs of the
 * members it combines: through the run's saved combine step (combiner.json) when it has one,
 * else (an interrupted run) the config's combine rule over whichever members finished.
 */
export async function predictEnsemble(
  run: Run,
  config: EnsembleConfig,
  data: Dataset,
): Promise<EnsemblePrediction> {
  const saved = run.readJson<SavedCombiner>('combiner.json');
  if (saved) return predictCombined(run, data, saved);

  const members = await predictMembers(run, data);
  const names = members.map((m) => m.name);
  const width = outputWidth(data);
  const weights = memberWeights(config, names) ?? names.map(() => 1);
  const combiner: Combiner = { kind: 'rule', rule: config.ensemble.combine, width, weights };
  return { members, outputs: combineWith(combiner, members.map((m) => m.outputs)), combiner };
}

/** The run's config.json and preprocessor.json, or a UserError saying which is missing. */
export function readRunSetup(run: Run): RunSetup {
  const config = run.readJson<EnsembleConfig>('config.json');
  const preprocessor = run.readJson<PreprocessorState>('preprocessor.json');
  if (!config || !preprocessor)
    throw new UserError(
      `run "${run.id}" has no config.json or preprocessor.json; it cannot predict`,
    );
  return { config, preprocessor };
}

/**
 * Each finished member's outputs on rows already preprocessed the run's way, in the order of
 * the run's members. Throws UserError when no member finished.
 */
export async function predictMembers(run: Run, data: Dataset): Promise<MemberPrediction[]> {
  const done = run.manifest.members.filter(
    (m) =>
      m.status === 'done' &&
      existsSync(`${run.memberDir(m.name)}/${memberKind(m.kind as MemberKind).savedFile}`),
  );
  if (done.length === 0)
    throw new UserError(`run "${run.id}" has no finished member to predict with`);

  const predictions: MemberPrediction[] = [];
  for (const { name } of done)
    predictions.push({ name, outputs: await predictMember(run, name, data) });
  return predictions;
}

/** A finished run's prediction: its combined members through its saved combine step. */
async function predictCombined(
  run: Run,
  data: Dataset,
  saved: SavedCombiner,
): Promise<EnsemblePrediction> {
  const members: MemberPrediction[] = [];
  for (const name of saved.members)
    members.push({ name, outputs: await predictMember(run, name, data) });

  const outputs = members.map((m) => m.outputs);
  const combined =
    saved.combiner.kind === 'stacked'
      ? await predictStacked(run, data, saved.combiner, outputs)
      : combineWith(saved.combiner, outputs);
  return { members, outputs: combined, combiner: saved.combiner };
}

/** Runs new rows up a saved stack: each level reads the one below, the meta-learner the top. */
async function predictStacked(
  run: Run,
  data: Dataset,
  combiner: Extract<Combiner, { kind: 'stacked' }>,
  baseOutputs: Float32Array[],
): Promise<Float32Array> {
  const { width, passthrough } = combiner;
  let below = combiner.levels[0].map((name, i) => ({ name, outputs: baseOutputs[i] }));

  for (const level of [...combiner.levels.slice(1), [combiner.meta]]) {
    const features = stackedDataset(data, below, width, passthrough, combiner.scale);
    const next: typeof below = [];
    for (const name of level)
      next.push({ name, outputs: await predictMember(run, name, features) });
    below = next;
  }
  return below[0].outputs;
}

async function predictMember(run: Run, name: string, data: Dataset): Promise<Float32Array> {
  const details = run.readJson<Pick<MemberReport, 'features'>>(`members/${name}/details.json`);
  const view = details?.features
    ? subsetDataset(
        data,
        Int32Array.from({ length: data.rows }, (_, i) => i),
        details.features,
      )
    : data;
  const record = run.manifest.members.find((m) => m.name === name);
  if (!record) throw new UserError(`run "${run.id}" has no member "${name}" in its run.json`);
  const model = await memberKind(record.kind as MemberKind).load(run.memberDir(name));
  try {
    return model.predict(view);
  } finally {
    model.dispose();
  }
}

function memberWeights(config: EnsembleConfig, names: string[]): number[] | undefined {
  if (config.ensemble.combine !== 'weighted' || !config.ensemble.weights) return undefined;
  const all = config.members.map((m) => m.name);
  return names.map((n) => config.ensemble.weights![all.indexOf(n)]);
}
