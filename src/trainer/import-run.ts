import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { errorAt } from '../core/config/error-at';
import type { EnsembleConfig } from '../core/config/types';
import type { PreparedData } from '../core/data/types';
import type { MemberPlan } from '../core/ensembles/plan';
import type { MemberReport, RunReport } from '../core/runs/report';
import { Run, RunStore } from '../core/runs/store';
import { readJson } from '../core/runs/files';
import type { RunManifest } from '../core/runs/manifest';

/** An earlier run opened for its members, with its config and report. */
interface Source {
  run: Run;
  config: EnsembleConfig;
  report: RunReport;
}

/**
 * The plans of an earlier run's finished members, copied into `run` under `<run id>.<name>`
 * (kept as they are when a resumed run already has them), so the caller loads them like
 * its own. Only members that score on their own are taken: fold models, meta-learners and
 * gradient boosting's residual members are not.
 */
export async function importMembers(
  ref: string,
  at: string,
  target: { run: Run; store: RunStore; config: EnsembleConfig; data: PreparedData; seed: number },
): Promise<MemberPlan[]> {
  const source = openSource(ref, at, target);
  checkSameRows(source, at, target);
  const plans: MemberPlan[] = [];

  for (const member of source.report.members.filter(importable)) {
    const spec = source.config.members.find((s) => s.name === member.name);
    if (!spec) continue;
    const name = `${source.run.id}.${member.name}`;
    await copyMember(source.run, member.name, target.run, name, spec.model);
    const features = member.features ? Int32Array.from(member.features) : undefined;
    plans.push({ name, spec: { ...spec, name }, seed: 0, ...(features ? { features } : {}) });
  }
  return plans;
}

function importable(member: MemberReport): boolean {
  const ownScore = Object.keys(member.metrics).length > 0;
  return (
    member.status === 'done' &&
    ownScore &&
    (member.role ?? 'member') !== 'fold' &&
    member.role !== 'meta'
  );
}

/** A run id in this store, or a path (relative to the config file) to a run folder. */
function openSource(
  ref: string,
  at: string,
  target: { store: RunStore; config: EnsembleConfig },
): Source {
  const path = isAbsolute(ref) ? ref : resolve(dirname(target.config.configPath), ref);
  const folder = existsSync(join(path, 'run.json')) ? path : undefined;
  let run: Run;
  try {
    run = folder
      ? new Run(folder, readJson<RunManifest>(join(folder, 'run.json'))!)
      : target.store.open(ref);
  } catch (error) {
    throw errorAt(target.config, at, `${(error as Error).message}; name a run id or a run folder`);
  }
  const config = run.readJson<EnsembleConfig>('config.json');
  const report = run.readJson<RunReport>('report.json');
  if (!config || !report)
    throw errorAt(
      target.config,
      at,
      `run "${run.id}" has no finished report to take members from; let it complete first`,
    );
  return { run, config, report };
}

/**
 * Members of another run may be combined here only if they were trained on this run's
 * training rows and never saw its validation or test rows: same data settings, same seed,
 * same fitted preprocessing.
 */
function checkSameRows(
  source: Source,
  at: string,
  target: { config: EnsembleConfig; data: PreparedData; seed: number },
): void {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const preprocessor = source.run.readJson<unknown>('preprocessor.json');
  const data = { ...source.config.data, task: target.config.data.task };
  if (
    source.run.manifest.seed === target.seed &&
    same(data, target.config.data) &&
    same(preprocessor, target.data.preprocessor)
  )
    return;
  throw errorAt(
    target.config,
    at,
    `run "${source.run.id}" read other data or split it with another seed, so its members may ` +
      'have trained on this run\'s validation or test rows; select from runs with the same "data" and seed',
  );
}

async function copyMember(
  from: Run,
  name: string,
  to: Run,
  as: string,
  kind: string,
): Promise<void> {
  if (to.manifest.members.some((m) => m.name === as && m.status === 'done')) return;
  await cp(from.memberDir(name), to.memberDir(as), { recursive: true });
  const members = [
    ...to.manifest.members.filter((m) => m.name !== as),
    { name: as, kind, status: 'done' as const },
  ];
  await to.update({ members });
}
