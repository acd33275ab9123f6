import type { TrainerEvent } from '../../src/protocol/events';
import type { RunSnapshot } from '../../src/protocol/messages';

/** One leaderboard row: the ensemble, the mean member or a member. */
export interface Row {
  name: string;
  role: 'ensemble' | 'mean' | 'member';
  kind: string;
  status: string;
  reason?: string;
  metrics: Record<string, number>;
  fitMs?: number;
  parameters?: number;
  epochs?: number;
  diversity: Record<string, number>;
}

/** A sortable column: its key, its header and how to read it from a row. */
export interface Column {
  key: string;
  label: string;
  value: (row: Row) => number | undefined;
  format: 'number' | 'count' | 'ms';
  /** Smaller is better (losses, errors, calibration). */
  lowerIsBetter: boolean;
}

const LOWER_IS_BETTER = /loss|brier|ece|rmse|mse|mae|error/;

/** The rows of a run: from its report once scored, else from the manifest and live events. */
export function rowsOf(run: RunSnapshot): Row[] {
  const report = run.report;
  if (!report) return run.manifest.members.map((m) => liveRow(run, m.name));

  const ensemble: Row = {
    name: 'ensemble',
    role: 'ensemble',
    kind: `${report.method} (${report.combine})`,
    status: 'done',
    metrics: report.ensemble.metrics,
    diversity: report.diversity?.mean ?? {},
  };
  const mean: Row = {
    name: 'mean member',
    role: 'mean',
    kind: '',
    status: 'done',
    metrics: report.meanMember,
    diversity: {},
  };
  const members = report.members.map<Row>((m) => ({
    name: m.name,
    role: 'member',
    kind: m.kind,
    status: m.status,
    reason: m.reason,
    metrics: m.metrics,
    fitMs: m.fitMs,
    parameters: m.parameters,
    epochs: m.epochsRun,
    diversity: run.memberDiversity[m.name] ?? {},
  }));
  return [ensemble, mean, ...members];
}

function liveRow(run: RunSnapshot, name: string): Row {
  const record = run.manifest.members.find((m) => m.name === name);
  return {
    name,
    role: 'member',
    kind: record?.kind ?? '',
    status: record?.status ?? 'pending',
    reason: record?.reason,
    metrics: run.memberMetrics[name] ?? {},
    fitMs: record?.fitMs,
    epochs: record?.epochsRun ?? run.curves[name]?.length,
    diversity: {},
  };
}

/** Every metric any row has (the ensemble's order first), then fit, size, epochs, diversity. */
export function columnsOf(rows: Row[]): Column[] {
  const metricNames = unique(rows.flatMap((r) => Object.keys(r.metrics)));
  const diversityNames = unique(
    rows.filter((r) => r.role === 'member').flatMap((r) => Object.keys(r.diversity)),
  );
  const metric = (name: string): Column => ({
    key: name,
    label: name,
    value: (row) => row.metrics[name],
    format: 'number',
    lowerIsBetter: LOWER_IS_BETTER.test(name),
  });
  const diversity = (name: string): Column => ({
    key: `diversity:${name}`,
    label: `mean ${name}`,
    value: (row) => row.diversity[name],
    format: 'number',
    lowerIsBetter: false,
  });

  return [
    ...metricNames.map(metric),
    { key: 'fit', label: 'fit', value: (r) => r.fitMs, format: 'ms', lowerIsBetter: true },
    {
      key: 'parameters',
      label: 'parameters',
      value: (r) => r.parameters,
      format: 'count',
      lowerIsBetter: true,
    },
    {
      key: 'epochs',
      label: 'epochs',
      value: (r) => r.epochs,
      format: 'count',
      lowerIsBetter: false,
    },
    ...diversityNames.map(diversity),
  ];
}

/**
 * Members sorted by a column; the ensemble and mean-member rows stay on top as the yardstick.
 * Rows without a value (failed, pending) go last either way.
 */
export function sortRows(rows: Row[], column: Column | undefined, descending: boolean): Row[] {
  if (!column) return rows;
  const pinned = rows.filter((r) => r.role !== 'member');
  const members = rows.filter((r) => r.role === 'member');
  const sign = descending ? -1 : 1;

  members.sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === undefined || y === undefined)
      return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    return sign * (x - y);
  });
  return [...pinned, ...members];
}

/**
 * Applies a live event to a run snapshot, as the files will say once written: member status,
 * its curve, its metrics. Returns whether anything the panel shows changed.
 */
export function applyEvent(run: RunSnapshot, event: TrainerEvent): boolean {
  const member =
    'member' in event ? run.manifest.members.find((m) => m.name === event.member) : undefined;

  switch (event.type) {
    case 'run-started':
      run.manifest.members = event.members.map((m) => ({ ...m, status: 'pending' as const }));
      return true;
    case 'member-started':
      if (member) member.status = 'running';
      return true;
    case 'member-epoch': {
      const curve = (run.curves[event.member] ??= []);
      const { epoch, loss, valLoss, valAccuracy, learningRate } = event;
      curve.push({ epoch, loss, valLoss, valAccuracy, learningRate });
      if (member) member.epochsRun = epoch;
      return true;
    }
    case 'member-done':
      run.memberMetrics[event.member] = event.metrics;
      if (member)
        Object.assign(member, { status: 'done', fitMs: event.fitMs, epochsRun: event.epochsRun });
      return true;
    case 'member-failed':
      if (member) Object.assign(member, { status: 'failed', reason: event.reason });
      return true;
    default:
      return false;
  }
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
