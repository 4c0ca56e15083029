/**
 * Calls `handler` on each SIGINT and SIGTERM with the signal and how many have arrived;
 * returns the function that stops listening.
 */
export function onShutdownSignal(
  handler: (signal: NodeJS.Signals, count: number) => void,
): () => void {
  let count = 0;
  const listener = (signal: NodeJS.Signals): void => handler(signal, ++count);
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}
