import type { ConfigProblem } from '../../core/config/problems';

/** A range as vscode counts: 0-based lines and characters, end exclusive. */
export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** A config problem's range (1-based lines and columns) as vscode counts it. */
export function problemRange(problem: ConfigProblem): ZeroBasedRange {
  return {
    startLine: problem.line - 1,
    startCharacter: problem.column - 1,
    endLine: problem.endLine - 1,
    endCharacter: problem.endColumn - 1,
  };
}
