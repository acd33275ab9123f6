import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { ConfigPosition } from './types';

/** A location in the config's JSON: object keys and array indices. */
export type JsonPath = (string | number)[];

/** Turns character offsets into 1-based lines and columns (UTF-16 units, as editors count). */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  /** The line and column of one offset. */
  at(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }

  /** The range from `offset` over `length` characters (at least one). */
  range(offset: number, length: number): ConfigPosition {
    const start = this.at(offset);
    const end = this.at(offset + Math.max(length, 1));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** The range a tree node spans. */
  node(node: Node): ConfigPosition {
    return this.range(node.offset, node.length);
  }
}

/** `members[0].training.epochs`: the key under which `positions` records a setting. */
export function pathKey(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Splits an ajv instance path (a JSON pointer) into keys, and indices where arrays are. */
export function pointerToPath(root: Node, pointer: string): JsonPath {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/');
  const path: JsonPath = [];
  for (const part of parts) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    const parent = findNodeAtLocation(root, path);
    path.push(parent?.type === 'array' ? Number(key) : key);
  }

  return path;
}

/**
 * Where to point for a setting: its key when it has one (`"optimiser": ...` underlines the
 * name), else the value (array items, the whole file).
 */
export function keyOrValueNode(root: Node, path: JsonPath): Node | undefined {
  const node = findNodeAtLocation(root, path);
  if (node?.parent?.type === 'property') return node.parent.children?.[0];
  return node;
}

/** The value node at a path, or at its nearest ancestor that exists. */
export function nearestNode(root: Node, path: JsonPath): Node {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) return node;
  }
  return root;
}

/** The position of every value in the file, keyed by `pathKey`. */
export function collectPositions(root: Node, lines: LineMap): Record<string, ConfigPosition> {
  const positions: Record<string, ConfigPosition> = {};
  const visit = (node: Node, path: JsonPath): void => {
    if (path.length > 0) positions[pathKey(path)] = lines.node(node);
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) visit(value, [...path, String(key.value)]);
      }
    }
    if (node.type === 'array')
      (node.children ?? []).forEach((item, i) => visit(item, [...path, i]));
  };
  visit(root, []);

  return positions;
}
