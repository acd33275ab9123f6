import type { BackendPreference } from '../../core/backend';

/** What a sweep request needs. */
export interface SweepRequest {
  configPath: string;
  storeRoot: string;
  backend: BackendPreference;
  /** Members trained at once (`--parallel`); undefined leaves the CLI's one per core. */
  parallel?: number;
  /** Go on with this stopped sweep rather than start a new one. */
  resume?: string;
}

/** The arguments of `ensemble-lab sweep` (after dist/cli.js) for a request. No vscode here. */
export function sweepArgs(request: SweepRequest): string[] {
  const what = request.resume ? ['--resume', request.resume] : [request.configPath];
  const args = ['sweep', ...what, '--json', '--store', request.storeRoot];
  args.push('--backend', request.backend);
  if (request.parallel !== undefined) args.push('--parallel', String(request.parallel));
  return args;
}
