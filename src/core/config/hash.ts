import { createHash } from 'node:crypto';
import type { EnsembleConfig } from './types';

/** JSON with object keys sorted at every depth, so equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A short fingerprint of what a config trains: sha256 of its canonical JSON, without where the
 * file is or where its settings are written (first 12 hex digits). Data paths are absolute,
 * so the same settings over other data files hash differently.
 */
export function configHash(config: EnsembleConfig): string {
  const trained: Partial<EnsembleConfig> = { ...config };
  delete trained.configPath;
  delete trained.positions;

  return createHash('sha256').update(canonicalJson(trained)).digest('hex').slice(0, 12);
}
