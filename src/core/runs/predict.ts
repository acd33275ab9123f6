import { existsSync } from 'node:fs';
import type { EnsembleConfig, MemberKind } from '../config/types';
import { applyPreprocessor, subsetDataset } from '../data/prepare';
import type { RawTable } from '../data/csv';
import type { Dataset, PreprocessorState } from '../data/types';
import { combine, combineWith, type Combiner } from '../ensembles/combine';
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

/**
 * Predicts new rows with a run's finished members, preprocessing them exactly as the run's
 * training rows were. Works for interrupted runs too: it uses whichever members finished.
 */
export async function predictWithRun(run: Run, table: RawTable): Promise<Predictions> {
  const config = run.readJson<EnsembleConfig>('config.json');
  const state = run.readJson<PreprocessorState>('preprocessor.json');
  if (!config || !state)
    throw new UserError(
      `run "${run.id}" has no config.json or preprocessor.json; it cannot predict`,
    );

  const data = applyPreprocessor(state, table, false);
  const done = run.manifest.members.filter(
    (m) =>
      m.status === 'done' &&
      existsSync(`${run.memberDir(m.name)}/${memberKind(m.kind as MemberKind).savedFile}`),
  );
  if (done.length === 0)
    throw new UserError(`run "${run.id}" has no finished member to predict with`);

  const saved = run.readJson<SavedCombiner>('combiner.json');
  if (saved) return predictCombined(run, data, saved);

  const outputs: Float32Array[] = [];
  for (const member of done) outputs.push(await predictMember(run, member.name, data));
  const width = outputWidth(data);
  const weights = memberWeights(
    config,
    done.map((m) => m.name),
  );
  return {
    data,
    outputs: combine(config.ensemble.combine, outputs, width, weights),
    width,
    members: done.map((m) => m.name),
  };
}

/** combiner.json: the members a finished run combines, and how. */
export interface SavedCombiner {
  members: string[];
  combiner: Combiner;
}

/** A finished run's prediction: its combined members through its saved combine step. */
async function predictCombined(
  run: Run,
  data: Dataset,
  saved: SavedCombiner,
): Promise<Predictions> {
  const outputs: Float32Array[] = [];
  for (const name of saved.members) outputs.push(await predictMember(run, name, data));
  const combined =
    saved.combiner.kind === 'stacked'
      ? await predictStacked(run, data, saved.combiner, outputs)
      : combineWith(saved.combiner, outputs);
  return { data, outputs: combined, width: outputWidth(data), members: saved.members };
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
