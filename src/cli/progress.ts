import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { TrainerEvent } from '../protocol/events';

/**
 * Draws training progress from trainer events: one bar per member on a terminal, one line per
 * finished member otherwise (CI logs, pipes).
 */
export function progressReporter(interactive: boolean): {
  onEvent: (e: TrainerEvent) => void;
  stop: () => void;
} {
  return interactive ? barReporter() : lineReporter();
}

function lineReporter(): { onEvent: (e: TrainerEvent) => void; stop: () => void } {
  const onEvent = (e: TrainerEvent): void => {
    if (e.type === 'run-started')
      process.stderr.write(`run ${e.runId} (${e.backend}, ${e.members.length} members)\n`);
    if (e.type === 'member-done') {
      const score = Object.entries(e.metrics)
        .filter(([k]) => k === 'accuracy' || k === 'r2')
        .map(([k, v]) => `${k} ${v.toFixed(4)}`);
      process.stderr.write(
        `  ${e.member}: ${e.epochsRun} epochs, ${(e.fitMs / 1000).toFixed(1)}s, ${score.join('')}\n`,
      );
    }
    if (e.type === 'member-failed') process.stderr.write(`  ${e.member}: failed: ${e.reason}\n`);
  };
  return { onEvent, stop: () => undefined };
}

function barReporter(): { onEvent: (e: TrainerEvent) => void; stop: () => void } {
  const multibar = new MultiBar(
    {
      format: ' {member} [{bar}] epoch {value}/{total} loss {loss}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();

  const onEvent = (e: TrainerEvent): void => {
    if (e.type === 'member-epoch') {
      const bar =
        bars.get(e.member) ??
        multibar.create(e.epochs, 0, { member: e.member.padEnd(12), loss: '-' });
      bars.set(e.member, bar);
      bar.update(e.epoch, { loss: e.loss.toFixed(4) });
    }
    if (e.type === 'member-done') bars.get(e.member)?.setTotal(e.epochsRun);
  };
  // MultiBar.stop draws the bars once more each time it is called: stop them once, and only
  // when there are any.
  let stopped = false;
  const stop = (): void => {
    if (!stopped && bars.size > 0) multibar.stop();
    stopped = true;
  };
  return { onEvent, stop };
}
