import type { RunReport } from '../core/runs/report';

/** Columns shown first for each task; any metric named in the config comes first of all. */
const DEFAULT_COLUMNS = {
  classification: ['accuracy', 'balanced-accuracy', 'f1-macro', 'roc-auc', 'log-loss', 'ece'],
  regression: ['r2', 'rmse', 'mae'],
};

/**
 * The leaderboard as plain text: the ensemble, the mean member, then each member, best first
 * by the headline metric. Failed members are listed last with their reason.
 */
export function formatLeaderboard(report: RunReport, preferred: string[] = []): string {
  const columns = [...new Set([...preferred, ...DEFAULT_COLUMNS[report.task]])].filter(
    (c) => c in report.ensemble.metrics,
  );
  const done = report.members.filter((m) => m.status === 'done');
  const sorted = [...done].sort(
    (a, b) => (b.metrics[report.headline] ?? 0) - (a.metrics[report.headline] ?? 0),
  );
  const rows = [
    ['ensemble', report.method, ...columns.map((c) => fmt(report.ensemble.metrics[c])), ''],
    ['mean member', '', ...columns.map((c) => fmt(report.meanMember[c])), ''],
    ...sorted.map((m) => [
      m.name,
      m.kind,
      ...columns.map((c) => fmt(m.metrics[c])),
      seconds(m.fitMs),
    ]),
  ];
  const header = ['model', 'kind', ...columns, 'fit'];
  const failed = report.members
    .filter((m) => m.status === 'failed')
    .map((m) => `  ${m.name}: failed: ${m.reason}`);
  return [table([header, ...rows]), ...extras(report), ...failed].join('\n');
}

function extras(report: RunReport): string[] {
  const lines: string[] = [];
  if (report.oob)
    lines.push(
      `out-of-bag ${report.oob.metric}: ${fmt(report.oob.value)} (${Math.round(report.oob.coverage * 100)}% of training rows)`,
    );
  if (report.diversity?.mean.disagreement !== undefined) {
    lines.push(
      `diversity: disagreement ${fmt(report.diversity.mean.disagreement)}, Q ${fmt(report.diversity.mean.qStatistic)}`,
    );
  }
  lines.push(rowsLine(report));
  return lines;
}

function rowsLine({ split, source }: RunReport): string {
  if (source) return `rows: ${split.test} from ${source}`;
  return `rows: ${split.train} train, ${split.validation} validation, ${split.test} test`;
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** Four decimals; '-' for a missing value, or a NaN (which report.json holds as null). */
function fmt(value: number | null | undefined): string {
  return typeof value !== 'number' || Number.isNaN(value) ? '-' : value.toFixed(4);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)}s`;
}
