import { existsSync } from 'node:fs';
import type { EnsembleConfig, MemberKind } from '../config/types';
import { applyPreprocessor, subsetDataset } from '../data/prepare';
import type { RawTable } from '../data/csv';
import type { Dataset, PreprocessorState } from '../data/types';
import { combine } from '../ensembles/combine';
import { outputWidth } from '../ensembles/evaluate';
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

  const outputs: Float32Array[] = [];
  for (const member of done) outputs.push(await predictMember(run, config, member.name, data));
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

async function predictMember(
  run: Run,
  config: EnsembleConfig,
  name: string,
  data: Dataset,
): Promise<Float32Array> {
  const details = run.readJson<Pick<MemberReport, 'features'>>(`members/${name}/details.json`);
  const view = details?.features
    ? subsetDataset(
        data,
        Int32Array.from({ length: data.rows }, (_, i) => i),
        details.features,
      )
    : data;
  const spec = config.members.find((m) => m.name === name);
  if (!spec) throw new UserError(`run "${run.id}" has no member "${name}" in its config.json`);
  const model = await memberKind(spec.model).load(run.memberDir(name), spec);
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
