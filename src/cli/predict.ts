import { writeFileSync } from 'node:fs';
import { initBackend } from '../core/backend';
import { argmaxAt } from '../core/ensembles/combine';
import { stderrLogger } from '../core/log';
import { predictWithRun, type Predictions } from '../core/runs/predict';
import type { RunStore } from '../core/runs/store';
import { readDataFile } from './data-file';
import type { CommonOptions } from './main';

/**
 * Predicts a file's rows with a run's ensemble: CSV of the label and one probability column
 * per class (or a `prediction` column for regression), or JSON with `--json`; written to
 * `out` when given, else to standard output.
 */
export async function predictCommand(
  store: RunStore,
  runId: string,
  file: string,
  options: CommonOptions & { out?: string },
): Promise<void> {
  const run = store.open(runId);
  await initBackend(options.backend, stderrLogger(options.verbose ? 'debug' : 'warn'));
  const predictions = await predictWithRun(run, await readDataFile(file));

  const text = options.json
    ? `${JSON.stringify(predictionsJson(run.id, predictions), null, 2)}\n`
    : predictionsCsv(predictions);
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);
}

/** The label of row `r` and its probabilities by class, or its value for regression. */
type PredictedRow = { prediction: string; probabilities: Record<string, number> } | number;

function predictionsJson(
  runId: string,
  p: Predictions,
): { runId: string; members: string[]; rows: PredictedRow[] } {
  const rows = Array.from({ length: p.data.rows }, (_, r): PredictedRow => {
    if (p.data.task === 'regression') return p.outputs[r];
    const probabilities = Object.fromEntries(
      p.data.classes.map((c, k) => [c, p.outputs[r * p.width + k]]),
    );
    return { prediction: p.data.classes[argmaxAt(p.outputs, r * p.width, p.width)], probabilities };
  });
  return { runId, members: p.members, rows };
}

function predictionsCsv(p: Predictions): string {
  const { data, outputs, width } = p;
  if (data.task === 'regression')
    return `prediction\n${Array.from(outputs, (v) => String(v)).join('\n')}\n`;

  const header = ['prediction', ...data.classes.map((c) => `p_${c}`)].join(',');
  const lines = Array.from({ length: data.rows }, (_, r) => {
    const probs = Array.from(outputs.subarray(r * width, (r + 1) * width), (v) => v.toFixed(6));
    return [data.classes[argmaxAt(outputs, r * width, width)], ...probs].join(',');
  });
  return `${header}\n${lines.join('\n')}\n`;
}
