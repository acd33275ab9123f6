import { existsSync } from 'node:fs';
import type { EnsembleConfig } from '../config/types';
import { applyPreprocessor, subsetDataset } from '../data/prepare';
import type { RawTable } from '../data/csv';
import type { Dataset, PreprocessorState } from '../data/types';
import { combine } from '../ensembles/combine';
import { outputWidth } from '../ensembles/evaluate';
import { UserError } from '../errors';
import { loadModel } from '../members/persist';
import { predictProba } from '../training/train';
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

/**
 * Predicts new rows with a run's finished members, preprocessing them exactly as the run's
 * training rows were. Works for interrupted runs too: it uses whichever members finished.
 */
export async function predictWithRun(run: Run, table: RawTable): Promise<Predictions> {
  const { config, preprocessor } = readRunSetup(run);
  const data = applyPreprocessor(preprocessor, table, false);
  const members = await predictMembers(run, data);

  const width = outputWidth(data);
  const names = members.map((m) => m.name);
  const outputs = members.map((m) => m.outputs);
  return {
    data,
    outputs: combine(config.ensemble.combine, outputs, width, memberWeights(config, names)),
    width,
    members: names,
  };
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
    (m) => m.status === 'done' && existsSync(`${run.memberDir(m.name)}/model.json`),
  );
  if (done.length === 0)
    throw new UserError(`run "${run.id}" has no finished member to predict with`);

  const predictions: MemberPrediction[] = [];
  for (const { name } of done)
    predictions.push({ name, outputs: await predictMember(run, name, data) });
  return predictions;
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
  const model = await loadModel(run.memberDir(name));
  try {
    return predictProba(model, view);
  } finally {
    model.dispose();
  }
}

function memberWeights(config: EnsembleConfig, names: string[]): number[] | undefined {
  if (config.ensemble.combine !== 'weighted' || !config.ensemble.weights) return undefined;
  const all = config.members.map((m) => m.name);
  return names.map((n) => config.ensemble.weights![all.indexOf(n)]);
}
