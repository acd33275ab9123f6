/** One replacement in a text: `length` characters at `offset` become `text`. */
export interface TextReplacement {
  offset: number;
  length: number;
  text: string;
}

/**
 * The smallest single replacement that turns `before` into `after`: the common start and end
 * are kept. An editor applies it as one undoable step that leaves the rest of the document
 * (folding, markers, selections elsewhere) alone. Undefined when the texts are equal.
 */
export function smallestReplacement(before: string, after: string): TextReplacement | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  ) {
    end++;
  }

  return {
    offset: start,
    length: before.length - start - end,
    text: after.slice(start, after.length - end),
  };
}
