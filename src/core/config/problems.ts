import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { type JsonPath, type LineMap, keyOrValueNode, nearestNode } from './positions';

/** One thing wrong in a config file, placed for an editor diagnostic (1-based, end exclusive). */
export interface ConfigProblem {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
}

/** A problem before it is placed: what is wrong and at which setting. */
export interface Finding {
  path: JsonPath;
  message: string;
  severity: 'error' | 'warning';
  /** Underline the setting's key (the default) or its value. */
  point?: 'key' | 'value';
  /** The exact node, when the path alone is ambiguous (a key written twice). */
  node?: Node;
}

export const error = (path: JsonPath, message: string, point?: 'key' | 'value'): Finding => ({
  path,
  message,
  severity: 'error',
  point,
});

export const warning = (path: JsonPath, message: string, point?: 'key' | 'value'): Finding => ({
  path,
  message,
  severity: 'warning',
  point,
});

/** Places a finding on the node it is about, or on its nearest ancestor that exists. */
export function placeFinding(finding: Finding, root: Node, lines: LineMap): ConfigProblem {
  const exact =
    finding.node ??
    (finding.point === 'value'
      ? findNodeAtLocation(root, finding.path)
      : keyOrValueNode(root, finding.path));
  const node = exact ?? nearestNode(root, finding.path);
  // The whole file is no useful underline: point at its opening brace.
  const range = node === root ? lines.range(root.offset, 1) : lines.node(node);

  return { message: finding.message, severity: finding.severity, ...range };
}
