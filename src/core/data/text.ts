import type { TextConfig } from '../config/types';
import type { RawColumn } from './table';

type TextColumn = Extract<RawColumn, { kind: 'categorical' }>;

/** A text column's fitted vocabulary: one feature per kept word, in vocabulary order. */
export interface TextFeatures {
  name: string;
  kind: 'text';
  weighting: TextConfig['weighting'];
  vocabulary: string[];
  /** Smoothed inverse document frequency of each word, ln((1 + n) / (1 + df)) + 1. */
  idf: number[];
}

/**
 * Words of a text: lower-cased runs of letters and digits (any script) of two characters or
 * more. Punctuation, whitespace and single characters separate words.
 */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? []) as string[];
}

/**
 * Fits a text column's vocabulary on the training rows only: the words found in at least
 * `minDocuments` of them, the `maxFeatures` most frequent by document count (ties by word),
 * each with its inverse document frequency over those rows.
 */
export function fitText(
  column: TextColumn,
  rows: ArrayLike<number>,
  config: TextConfig,
): TextFeatures {
  const wordsOf = levelWords(column);
  const documents = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const code = column.codes[rows[i]];
    const words = code < 0 ? [] : new Set(wordsOf[code]);
    words.forEach((w) => documents.set(w, (documents.get(w) ?? 0) + 1));
  }

  const kept = [...documents]
    .filter(([, df]) => df >= config.minDocuments)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, config.maxFeatures);
  const vocabulary = kept.map(([word]) => word).sort();
  const df = new Map(kept);
  const idf = vocabulary.map((w) => Math.log((1 + rows.length) / (1 + (df.get(w) ?? 0))) + 1);
  return { name: column.name, kind: 'text', weighting: config.weighting, vocabulary, idf };
}

/**
 * Writes each row's features into `x` from column `offset` on: word counts (`count`), 0/1
 * presence (`binary`) or counts times idf (`tfidf`); `tfidf` rows are scaled to unit length.
 * Words outside the vocabulary are dropped.
 */
export function writeText(
  x: Float32Array,
  stride: number,
  offset: number,
  column: TextColumn,
  spec: TextFeatures,
): void {
  const slot = new Map(spec.vocabulary.map((w, i) => [w, i]));
  const rowsOfLevel = levelWords(column).map((words) => featureRow(words, slot, spec));
  for (let row = 0; row < column.codes.length; row++) {
    const code = column.codes[row];
    if (code >= 0) x.set(rowsOfLevel[code], row * stride + offset);
  }
}

function featureRow(words: string[], slot: Map<string, number>, spec: TextFeatures): Float32Array {
  const values = new Float32Array(spec.vocabulary.length);
  for (const word of words) {
    const at = slot.get(word);
    if (at !== undefined) values[at] = spec.weighting === 'binary' ? 1 : values[at] + 1;
  }
  if (spec.weighting !== 'tfidf') return values;

  values.forEach((v, i) => (values[i] = v * spec.idf[i]));
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  return norm > 0 ? values.map((v) => v / norm) : values;
}

/** The words of each distinct text of the column, tokenized once per text. */
function levelWords(column: TextColumn): string[][] {
  return column.levels.map(tokenize);
}
