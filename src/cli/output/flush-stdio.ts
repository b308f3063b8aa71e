/**
 * Waits until everything written to stdout and stderr has reached the pipe, file or terminal.
 * On a pipe Node writes what fits in the pipe's buffer (64 KiB on Linux) and queues the rest, so
 * `process.exit` right after a large write cuts the output short. An empty write's callback runs
 * once every earlier write on the stream is done (or failed: a reader that went away is not our
 * error to report).
 */
export async function flushStdio(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  })));
}
