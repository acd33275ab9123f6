/** Short texts the tree, the code lenses and the status bar share. No vscode here. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "2 h ago", "4 days ago", then the date itself. */
export function relativeTime(when: string | number, now: number): string {
  const time = typeof when === 'number' ? when : Date.parse(when);
  const elapsed = Math.max(0, now - time);

  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 30) return days === 1 ? '1 day ago' : `${days} days ago`;
  return new Date(time).toISOString().slice(0, 10);
}

/** A metric value with three decimals, or one for large values (an rmse in the hundreds). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
}

/** "accuracy 0.978". */
export function formatMetric(name: string, value: number): string {
  return `${name} ${formatValue(value)}`;
}

/** "0.7 s", "12 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return rest === 0 ? `${(seconds / 60) | 0} min` : `${Math.floor(seconds / 60)} min ${rest} s`;
}

/** "1 member", "5 members". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
