// Progress for long work: a live bar on a terminal, a line every few seconds in CI logs.
import { SingleBar } from "cli-progress";

export function progressBar(label: string, total: number): { update(done: number): void; stop(): void } {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
    barCompleteChar: "#",
    barIncompleteChar: "-",
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 3000,
  });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
