import type { Dataset } from '../data/types';
import { classificationMetrics, reliabilityCurve } from '../metrics';
import type { CalibrationScores, TemperatureReport } from './types';

const LOG_FLOOR = 1e-12;
/** The search range of the inverse temperature β = 1 / T. */
const BETA_RANGE: [number, number] = [0.05, 20];

/**
 * Fits the temperature that minimizes the log loss of the validation rows. The loss of
 * softmax(β · log p) is convex in β, so a golden-section search over β finds its minimum.
 */
export function fitTemperature(validation: Dataset, proba: Float32Array): number {
  const width = validation.classes.length;
  const logits = logOf(proba);
  const loss = (beta: number): number => temperedLogLoss(validation.y, logits, width, beta);

  let [low, high] = BETA_RANGE.map(Math.log);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let step = 0; step < 80; step++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (loss(Math.exp(a)) <= loss(Math.exp(b))) high = b;
    else low = a;
  }
  return 1 / Math.exp((low + high) / 2);
}

/** softmax(log p / temperature), row by row. */
export function applyTemperature(
  proba: Float32Array,
  width: number,
  temperature: number,
): Float32Array {
  return temperedProba(logOf(proba), width, 1 / temperature);
}

/**
 * Temperature scaling of an ensemble's probabilities: fitted on the validation rows, applied
 * to both splits, and scored before and after on each.
 */
export function temperatureScaling(
  data: { validation: Dataset; test: Dataset },
  combined: { validation: Float32Array; test: Float32Array },
): TemperatureReport {
  const width = data.test.classes.length;
  const temperature = fitTemperature(data.validation, combined.validation);
  const scaled = {
    validation: applyTemperature(combined.validation, width, temperature),
    test: applyTemperature(combined.test, width, temperature),
  };

  return {
    temperature,
    atLimit: atLimit(temperature),
    validation: calibrationScores(data.validation, combined.validation, scaled.validation),
    test: calibrationScores(data.test, combined.test, scaled.test),
    reliability: {
      before: reliabilityCurve(data.test.y, combined.test, width),
      after: reliabilityCurve(data.test.y, scaled.test, width),
    },
  };
}

/** Whether the fit stopped at an end of the search range (say, every validation row right). */
function atLimit(temperature: number): boolean {
  const beta = 1 / temperature;
  return beta < BETA_RANGE[0] * 1.01 || beta > BETA_RANGE[1] * 0.99;
}

function calibrationScores(
  data: Dataset,
  before: Float32Array,
  after: Float32Array,
): CalibrationScores {
  const a = classificationMetrics(data.y, before, data.classes);
  const b = classificationMetrics(data.y, after, data.classes);
  return { ece: { before: a.ece, after: b.ece }, logLoss: { before: a.logLoss, after: b.logLoss } };
}

function logOf(proba: Float32Array): Float64Array {
  return Float64Array.from(proba, (p) => Math.log(Math.max(p, LOG_FLOOR)));
}

function temperedProba(logits: Float64Array, width: number, beta: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let offset = 0; offset < logits.length; offset += width) {
    let top = -Infinity;
    for (let c = 0; c < width; c++) top = Math.max(top, beta * logits[offset + c]);
    let total = 0;
    for (let c = 0; c < width; c++) total += Math.exp(beta * logits[offset + c] - top);
    for (let c = 0; c < width; c++)
      out[offset + c] = Math.exp(beta * logits[offset + c] - top) / total;
  }
  return out;
}

function temperedLogLoss(
  labels: ArrayLike<number>,
  logits: Float64Array,
  width: number,
  beta: number,
): number {
  let sum = 0;
  for (let r = 0; r < labels.length; r++) {
    const offset = r * width;
    let top = -Infinity;
    for (let c = 0; c < width; c++) top = Math.max(top, beta * logits[offset + c]);
    let total = 0;
    for (let c = 0; c < width; c++) total += Math.exp(beta * logits[offset + c] - top);
    sum -= beta * logits[offset + labels[r]] - top - Math.log(total);
  }
  return sum / labels.length;
}
