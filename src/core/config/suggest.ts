/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Case, hyphens and underscores do not count: `learning_rate` is one step from nothing. */
function normalize(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate nearest to a mistyped word, if it is near enough to be a typo:
 * within 1 edit for short words, 2 for medium, 3 for long ones.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const typed = normalize(word);
  const allowed = typed.length <= 3 ? 1 : typed.length <= 8 ? 2 : 3;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(typed, normalize(candidate));
    if (distance <= allowed && (!best || distance < best.distance)) best = { candidate, distance };
  }

  return best?.candidate;
}

/** `; did you mean "x"?` when a candidate is near, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = nearest(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
