import type { NpmOutcome } from './npm';

/** What the installer knows when npm did not succeed. */
export interface FailedInstall {
  pkg: string;
  spec: string;
  outcome: NpmOutcome;
  /** Everything npm printed during this install. */
  output: string;
  timeoutMs: number;
}

const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/;

/**
 * Says in one clause what went wrong with an npm install and what to do about it, from how
 * npm ended and what it printed. tfjs-node's own install script downloads libtensorflow from
 * Google's storage rather than the npm registry, which is the usual failure behind a firewall.
 */
export function describeFailure(f: FailedInstall): string {
  const { outcome, output } = f;
  if (outcome.spawnError?.code === 'ENOENT') {
    return 'npm was not found on the PATH; install Node.js (it brings npm) and try again';
  }
  if (outcome.spawnError) return `npm could not be started (${outcome.spawnError.message})`;
  if (outcome.cancelled) return `the install of ${f.pkg} was cancelled`;
  if (outcome.timedOut) {
    const limit = duration(f.timeoutMs);
    return `npm install ${f.spec} did not finish in ${limit} and was stopped; try again`;
  }
  return describeNpmError(f, output);
}

function describeNpmError(f: FailedInstall, output: string): string {
  const script = /Downloading libtensorflow|storage\.googleapis\.com/.test(output);
  if (script && NETWORK.test(output)) {
    return (
      `${f.pkg} could not download libtensorflow from storage.googleapis.com ` +
      '(its install script needs internet access to it, beyond the npm registry)'
    );
  }
  if (/\bE404\b/.test(output)) return `npm found no package ${f.spec}; check its name and version`;
  if (NETWORK.test(output)) {
    return "npm could not reach the package registry; check the network or npm's proxy settings";
  }
  const reason = firstNpmError(output);
  const detail = reason ? ` (${reason})` : '';
  return `npm install ${f.spec} failed with exit code ${f.outcome.code}${detail}`;
}

/** The first line npm printed after "npm error" that says something beyond the code. */
function firstNpmError(output: string): string | undefined {
  const lines = output.split('\n').map((l) => /^npm (?:error|ERR!) (.+)$/.exec(l.trim())?.[1]);
  return lines
    .find((l) => l !== undefined && !/^(code|path|command|errno|A complete log)\b/.test(l))
    ?.trim();
}

function duration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
