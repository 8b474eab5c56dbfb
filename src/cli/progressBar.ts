/** A one-line progress bar on stderr for long jobs; silent when stderr is not a terminal or output is JSON. */
export function progressBar(label: string, enabled: boolean): { update(fraction: number): void; done(): void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, done: () => {} };
  let last = -1;
  const width = 30;
  return {
    update(fraction: number) {
      const percent = Math.floor(fraction * 100);
      if (percent === last) return;
      last = percent;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r${label} [${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${String(percent).padStart(3)}%`,
      );
    },
    done() {
      if (last >= 0) process.stderr.write('\r\x1b[2K');
    },
  };
}
