// How the long-running commands (server, agent, sim, scheduler, controller-manager)
// answer SIGINT/SIGTERM: exit at once while starting, stop cleanly once running.

/**
 * While a command starts, a signal exits at once (process 'exit' hooks, such as the
 * one that kills a containerd we started, still run). Returns the function that disarms it.
 */
export function exitOnSignalWhileStarting(log: (line: string) => void): () => void {
  const early = (signal: string) => {
    log(`${signal} while starting: exiting`);
    process.exit(1);
  };
  process.once('SIGINT', early);
  process.once('SIGTERM', early);
  return () => {
    process.off('SIGINT', early);
    process.off('SIGTERM', early);
  };
}

/** The first SIGINT/SIGTERM logs `what`, runs `stop` once, then exits 0 (1 if stopping failed). */
export function stopOnSignal(log: (line: string) => void, what: string, stop: () => Promise<void> | void): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: ${what}`);
    Promise.resolve()
      .then(stop)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
