/** The preload progress bar: a real bar on a terminal, one line per change otherwise (CI logs). */
import { SingleBar, Presets } from 'cli-progress';
import type { PreloadProgress } from '../core/api';

export interface ProgressReporter {
  update: (progress: PreloadProgress) => void;
  stop: () => void;
}

export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const bar = new SingleBar(
    { format: 'preloading [{bar}] {value}/{total} {current}', stream, noTTYOutput: false, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      const total = progress.queued + progress.running + progress.done + progress.failed;
      const done = progress.done + progress.failed;
      if (!stream.isTTY) {
        stream.write(`preloading ${done}/${total}${progress.current ? ` ${progress.current}` : ''}\n`);
        return;
      }
      if (!started) {
        bar.start(total, done, { current: progress.current ?? '' });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { current: progress.current ?? '' });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
