import { type Node, parseTree } from 'jsonc-parser';
import { formatMetric, plural, relativeTime } from '../format';
import type { RunSummary } from '../runs/summary';

/** Where one member spec is written in a config, and the networks it makes. */
export interface MemberSpecSite {
  index: number;
  /** `name`, or the model kind when the spec names none (as the config layer does). */
  name: string;
  count: number;
  /** Character offset and length of the spec's object, for the lens's range. */
  offset: number;
  length: number;
}

/** The member specs of a config's text, in order; none when the text does not parse that far. */
export function memberSpecSites(text: string): MemberSpecSite[] {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const members = root && property(root, 'members');
  if (members?.type !== 'array') return [];

  return (members.children ?? []).flatMap((spec, index) => {
    if (spec.type !== 'object') return [];
    const name = stringValue(property(spec, 'name')) ?? stringValue(property(spec, 'model'));
    const countNode = property(spec, 'count');
    const count = typeof countNode?.value === 'number' ? countNode.value : 1;
    return [
      {
        index,
        name: name ?? `member ${index + 1}`,
        count,
        offset: spec.offset,
        length: spec.length,
      },
    ];
  });
}

/** The trained networks a spec makes: `mlp` for one, `mlp-1` ... `mlp-N` for `count: N`. */
export function networksOf(site: MemberSpecSite): string[] {
  if (site.count <= 1) return [site.name];
  return Array.from({ length: site.count }, (_, i) => `${site.name}-${i + 1}`);
}

/**
 * "mlp ×5: accuracy 0.972 mean", "wide: accuracy 0.967", "wide: failed (reason)"; undefined
 * when the run has none of the spec's networks (the config changed since).
 */
export function memberLensText(site: MemberSpecSite, run: RunSummary): string | undefined {
  const names = new Set(networksOf(site));
  const members = run.members.filter((m) => names.has(m.name));
  if (members.length === 0) return undefined;

  const label = site.count > 1 ? `${site.name} ×${site.count}` : site.name;
  const scores = members
    .map((m) => m.metrics?.[run.headline])
    .filter((v): v is number => v !== undefined);
  const failed = members.filter((m) => m.status === 'failed');
  if (scores.length === 0) {
    if (failed.length > 0) return `${label}: failed (${failed[0].reason ?? 'no reason recorded'})`;
    return `${label}: ${run.manifest.status === 'running' ? 'training' : 'not trained'}`;
  }

  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const score = formatMetric(run.headline, mean) + (site.count > 1 ? ' mean' : '');
  return `${label}: ${score}${failed.length > 0 ? ` · ${failed.length} failed` : ''}`;
}

/** The last run's lens: "accuracy 0.981 · 5 members · 3 min ago", or how it ended. */
export function runLensText(run: RunSummary, now: number): string {
  const { manifest } = run;
  const when = relativeTime(manifest.createdAt, now);
  const total = manifest.members.length;
  const done = manifest.members.filter((m) => m.status === 'done').length;
  const value = manifest.metrics?.[run.headline];

  if (manifest.status === 'running') return `training · ${done}/${total} members done`;
  if (manifest.status === 'completed' && value !== undefined) {
    return `${formatMetric(run.headline, value)} · ${plural(total, 'member')} · ${when}`;
  }
  return `last run ${manifest.status} · ${done}/${total} members · ${when}`;
}

/**
 * The newest run of a config that is not a sweep trial; `runs` newest first, as
 * listRunSummaries gives them.
 */
export function lastRunOf(configPath: string, runs: RunSummary[]): RunSummary | undefined {
  return runs.find((run) => !run.manifest.sweep && samePath(run.manifest.configPath, configPath));
}

/** Where the config's top-level `sweep` section starts, for the "Run sweep" lens. */
export function sweepSectionOffset(text: string): number | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const pair = root?.children?.find((p) => p.children?.[0]?.value === 'sweep');
  return pair?.type === 'property' && pair.children?.[1]?.type === 'object'
    ? pair.offset
    : undefined;
}

/** Paths compared as the OS would: Windows paths ignore case. */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string): string =>
    process.platform === 'win32' ? p.replace(/\//g, '\\').toLowerCase() : p;
  return norm(a) === norm(b);
}

function property(node: Node, key: string): Node | undefined {
  const pair = node.children?.find((p) => p.children?.[0]?.value === key);
  return pair?.children?.[1];
}

function stringValue(node: Node | undefined): string | undefined {
  return typeof node?.value === 'string' ? node.value : undefined;
}
