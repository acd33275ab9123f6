import { UserError } from '../errors';
import type { EnsembleConfig } from './types';

/**
 * A UserError at a setting of the config file, found by its key in `config.positions`
 * (`ensemble.selection.runs[0]`, `members[2].model`); at the file alone when it has none.
 */
export function errorAt(config: EnsembleConfig, key: string, message: string): UserError {
  const at = config.positions?.[key];
  return new UserError(message, { file: config.configPath, line: at?.line, column: at?.column });
}
