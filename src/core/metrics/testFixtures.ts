/**
 * Deterministic predictions on the shared data sets, for the metric tests. Each formula uses
 * only +, -, *, / in a fixed order, so sklearn-reference.py reproduces the same float64
 * values bit for bit before they are rounded to float32.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DATA_DIR = join(__dirname, '..', '..', '..', 'examples', 'data');

/** Header and rows of one shared CSV (plain values, no quoting in these files). */
export function readCsv(name: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(`${DATA_DIR}/${name}`, 'utf8').trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Hand-picked class centres of iris (roughly the class means, rounded). */
const IRIS_CENTRES = [
  [5.0, 3.4, 1.5, 0.25],
  [5.9, 2.8, 4.3, 1.3],
  [6.6, 3.0, 5.5, 2.0],
];

/** Iris labels (setosa 0, versicolor 1, virginica 2) and nearest-centre probabilities. */
export function irisPredictions(): { labels: Int32Array; proba: Float32Array } {
  const { rows } = readCsv('iris.csv');
  const names = ['setosa', 'versicolor', 'virginica'];
  const labels = Int32Array.from(rows, (row) => names.indexOf(row[4]));
  const proba = new Float32Array(rows.length * 3);
  rows.forEach((row, r) => {
    const x = row.slice(0, 4).map(Number);
    const weights = IRIS_CENTRES.map((centre) => 1 / (0.25 + squaredDistance(x, centre)));
    const total = weights[0] + weights[1] + weights[2];
    weights.forEach((w, c) => (proba[r * 3 + c] = w / total));
  });
  return { labels, proba };
}

/** Breast cancer labels (benign 0, malignant 1) and p(malignant) = x / (x + 0.12). */
export function breastCancerPredictions(): { labels: Int32Array; proba: Float32Array } {
  const { header, rows } = readCsv('breast_cancer.csv');
  const column = header.indexOf('worst_concave_points');
  const labels = Int32Array.from(rows, (row) => (row[row.length - 1] === 'malignant' ? 1 : 0));
  const proba = new Float32Array(rows.length * 2);
  rows.forEach((row, r) => {
    const x = Number(row[column]);
    const malignant = x / (x + 0.12);
    proba[r * 2] = 1 - malignant;
    proba[r * 2 + 1] = malignant;
  });
  return { labels, proba };
}

/** Diabetes progression and two linear predictions from bmi and s5. */
export function diabetesPredictions(): {
  target: Float64Array;
  first: Float64Array;
  second: Float64Array;
} {
  const { header, rows } = readCsv('diabetes.csv');
  const bmi = header.indexOf('bmi');
  const s5 = header.indexOf('s5');
  const target = Float64Array.from(rows, (row) => Number(row[row.length - 1]));
  const first = Float64Array.from(rows, (row) => 152 + 10 * (Number(row[bmi]) - 26.4));
  const second = Float64Array.from(
    rows,
    (row) => 152 + 6 * (Number(row[bmi]) - 26.4) + 60 * (Number(row[s5]) - 4.64),
  );
  return { target, first, second };
}

function squaredDistance(x: number[], centre: number[]): number {
  let total = 0;
  for (let j = 0; j < x.length; j++) total += (x[j] - centre[j]) * (x[j] - centre[j]);
  return total;
}
