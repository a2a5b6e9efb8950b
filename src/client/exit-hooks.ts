import { isMainThread } from 'node:worker_threads';

// ── process exit ──────────────────────────────────────────────────────────────────────────────
//
// One set of process listeners serves every reporter. beforeExit: flush what is queued (the flush
// keeps the loop alive until done, then beforeExit fires again with nothing left). SIGTERM/SIGINT:
// flush within the deadline, then — only when no other listener for that signal exists — remove
// ours and re-raise the signal so Node's default (terminate) still happens. When the app has its
// own handler, that handler decides when to exit; it should `await reporter.close()` first.

export interface ExitHook {
  pending(): boolean;
  flush(): Promise<void>;
  timeoutMs: number;
}

const exitHooks = new Set<ExitHook>();
const handledSignals = ['SIGTERM', 'SIGINT'] as const;
const signalsInFlight = new Set<NodeJS.Signals>();

const onBeforeExit = () => {
  for (const hook of exitHooks) if (hook.pending()) void hook.flush();
};
const onSigterm = () => onSignal('SIGTERM');
const onSigint = () => onSignal('SIGINT');
const signalListener = (signal: NodeJS.Signals) => (signal === 'SIGTERM' ? onSigterm : onSigint);

function onSignal(signal: NodeJS.Signals) {
  const ours = signalListener(signal);
  const appHandles = process.listeners(signal).some((listener) => listener !== ours);
  // A second signal while flushing: the user insists, so stop waiting.
  if (signalsInFlight.has(signal)) {
    if (!appHandles) reraise(signal);
    return;
  }
  signalsInFlight.add(signal);
  const hooks = [...exitHooks];
  const limit = Math.max(0, ...hooks.map((hook) => hook.timeoutMs));
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limit);
    timer.unref();
  });
  void Promise.race([Promise.all(hooks.map((hook) => hook.flush())), giveUp]).then(() => {
    clearTimeout(timer);
    signalsInFlight.delete(signal);
    if (!appHandles) reraise(signal);
  });
}

function reraise(signal: NodeJS.Signals) {
  process.removeListener(signal, signalListener(signal));
  process.kill(process.pid, signal);
}

export function registerExitHook(hook: ExitHook) {
  // Signals reach the main thread only; a worker thread's reporter flushes via close().
  if (!isMainThread) return;
  if (exitHooks.size === 0) {
    process.on('beforeExit', onBeforeExit);
    for (const signal of handledSignals) process.on(signal, signalListener(signal));
  }
  exitHooks.add(hook);
}

export function unregisterExitHook(hook: ExitHook) {
  if (!exitHooks.delete(hook) || exitHooks.size > 0) return;
  process.removeListener('beforeExit', onBeforeExit);
  for (const signal of handledSignals) process.removeListener(signal, signalListener(signal));
}
