import { defineStore, storeToRefs } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { runningUploads } from '../../upload/upload-view.js';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { PreflightAnswer, UploadReportAnswer, UploadStatusAnswer } from '../../contract/host-api.js';
import { PIN_REASONS } from '../errors.js';
import { useHealthStore } from './health.js';
import { useManagerStore } from './manager.js';
import { useSessionStore } from './session.js';

export type UploadAction = 'preflight' | 'start' | 'status' | 'cancel' | 'report';
export type UploadStep = 'review' | 'sending' | 'report';

let pollMs = 750;
const MAX_POLL_BACKOFF_MS = 5_000;

/** Tests poll faster. */
export function setUploadPollMs(ms: number): void {
  pollMs = ms;
}

/** The host forgot the run (it restarted) or will not let this screen watch it any more. */
const STOP_POLLING = new Set(['unknown-upload', 'unauthorized', 'manager-required', ...PIN_REASONS]);

/**
 * "Subir venta offline" on screen (manager): review the host's preflight, start the upload, watch
 * its progress, cancel it, read its report. A thin adapter over the host's upload API: every
 * figure comes from the host. A cashier's screen works with a manager's PIN, held in memory for
 * this one upload (review → progress → report) and forgotten when the manager closes it.
 */
export const useUploadStore = defineStore('upload', () => {
  const health = useHealthStore();
  const { health: healthInfo } = storeToRefs(health);
  /** The upload screen is shown instead of Caja's panels. */
  const open = ref(false);
  const preflight = shallowRef<PreflightAnswer | null>(null);
  const status = shallowRef<UploadStatusAnswer | null>(null);
  const report = shallowRef<UploadReportAnswer | null>(null);
  const busy = ref<UploadAction | null>(null);
  const error = ref<{ action: UploadAction; reason: string } | null>(null);
  const cancelling = ref(false);
  /** The last time a status answer came in, for "actualizado a las…". */
  const polledAt = ref<number | null>(null);
  /** The screen stopped watching the run (the host forgot it, or the PIN no longer works). */
  const lost = ref(false);

  const gone = shallowRef<ReadonlySet<string>>(new Set());
  let authorized = false;
  let managerPin: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  let failedPolls = 0;

  const step = computed<UploadStep>(() => (report.value ? 'report' : status.value ? 'sending' : 'review'));
  const running = computed(() => status.value?.state === 'running');

  /**
   * This terminal's run in progress according to the uploads document (found again after a
   * reload); not one a crash left behind as "running", nor one the host no longer knows.
   */
  const ownRunning = computed(() => {
    const h = healthInfo.value;
    const own = h ? runningUploads(h.uploads, h.terminalId, Date.now()).own : undefined;
    return own && !own.stale && !gone.value.has(own.id) ? own : undefined;
  });

  function forget(): void {
    authorized = false;
    managerPin = undefined;
  }

  /** Run with the manager's authorization this upload already holds, or ask for it once. */
  async function withManager<T>(run: (pin: string | undefined) => Promise<T>): Promise<T | undefined> {
    if (authorized) {
      try {
        return await run(managerPin);
      } catch (failure) {
        if (PIN_REASONS.includes(reasonOf(failure))) forget();
        throw failure;
      }
    }
    return useManagerStore().authorize('upload', async (pin) => {
      const answer = await run(pin);
      authorized = true;
      managerPin = pin;
      return answer;
    });
  }

  async function act<T>(action: UploadAction, task: () => Promise<T>): Promise<T | undefined> {
    if (busy.value !== null) return undefined;
    busy.value = action;
    error.value = null;
    try {
      return await task();
    } catch (failure) {
      error.value = { action, reason: reasonOf(failure) };
      return undefined;
    } finally {
      busy.value = null;
    }
  }

  function stopPolling(): void {
    generation += 1;
    lost.value = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedulePoll(id: string, delay = pollMs): void {
    if (timer !== undefined) clearTimeout(timer);
    const gen = generation;
    timer = setTimeout(() => {
      timer = undefined;
      void poll(id, gen);
    }, delay);
  }

  async function poll(id: string, gen: number): Promise<void> {
    try {
      const answer = await api.uploadStatus(id, managerPin);
      if (gen !== generation) return;
      failedPolls = 0;
      polledAt.value = Date.now();
      if (error.value?.action === 'status') error.value = null;
      setStatus(answer);
    } catch (failure) {
      if (gen !== generation) return;
      const reason = reasonOf(failure);
      error.value = { action: 'status', reason };
      if (STOP_POLLING.has(reason)) {
        if (PIN_REASONS.includes(reason)) forget();
        lost.value = true;
        return;
      }
      // The host is busy or restarting: keep asking, less often.
      failedPolls += 1;
      schedulePoll(id, Math.min(MAX_POLL_BACKOFF_MS, pollMs * 2 ** failedPolls));
    }
  }

  function setStatus(answer: UploadStatusAnswer): void {
    status.value = answer;
    if (answer.state === 'running') {
      schedulePoll(answer.id);
      return;
    }
    cancelling.value = false;
    void health.refresh();
    void loadReport();
  }

  /** Show the preflight (asks for a manager's PIN when a cashier is logged in). */
  async function review(): Promise<boolean> {
    if (running.value) {
      open.value = true;
      return true;
    }
    const answer = await act('preflight', () => withManager((pin) => api.uploadPreflight(pin)));
    if (!answer) return false;
    preflight.value = answer;
    status.value = null;
    report.value = null;
    open.value = true;
    // A run of this terminal is going on (the page was reloaded): show it rather than a new review.
    const own = ownRunning.value;
    if (own) await follow(own.id);
    return true;
  }

  /** Ask the host again for the preflight (the numbers change while terminals sell). */
  async function refreshPreflight(): Promise<void> {
    const answer = await act('preflight', () => withManager((pin) => api.uploadPreflight(pin)));
    if (answer) preflight.value = answer;
  }

  /** "Subir": the host answers at once with the run's id; the progress is polled. */
  async function start(): Promise<boolean> {
    stopPolling();
    const started = await act('start', () => withManager((pin) => api.startUpload(pin)));
    if (!started) {
      // This terminal is uploading already (another screen pressed it): show that run.
      if (error.value?.reason === 'upload-running') {
        await health.refresh();
        const own = ownRunning.value;
        if (own) await follow(own.id);
      }
      return false;
    }
    report.value = null;
    cancelling.value = false;
    await follow(started.id);
    // Every screen's banner says an upload is going on; this one should not wait for its poll.
    void health.refresh();
    return true;
  }

  /** Watch a run of this terminal: after a reload, or one another screen started. */
  async function follow(id: string): Promise<boolean> {
    stopPolling();
    const answer = await act('status', () => withManager((pin) => api.uploadStatus(id, pin)));
    if (!answer) return false;
    open.value = true;
    report.value = null;
    polledAt.value = Date.now();
    setStatus(answer);
    return true;
  }

  /**
   * After a reload a manager finds the run going on without asking; a cashier's screen only says
   * so and waits for a manager (following needs the PIN).
   */
  async function adopt(): Promise<void> {
    const own = ownRunning.value;
    if (!own || status.value?.id === own.id || busy.value !== null) return;
    if (!useSessionStore().isManager) return;
    stopPolling();
    try {
      const answer = await api.uploadStatus(own.id);
      authorized = true;
      managerPin = undefined;
      open.value = true;
      report.value = null;
      polledAt.value = Date.now();
      setStatus(answer);
    } catch {
      // The host restarted since: that run is over, and what it did not send is still pending.
      gone.value = new Set([...gone.value, own.id]);
    }
  }

  async function cancel(): Promise<void> {
    const id = status.value?.id;
    if (!id || !running.value) return;
    const answer = await act('cancel', () => withManager((pin) => api.cancelUpload(id, pin)));
    if (answer) cancelling.value = true;
  }

  async function loadReport(): Promise<void> {
    const id = status.value?.id;
    if (!id) return;
    if (busy.value !== null) {
      // A cancel or a refresh is on its way: ask for the report right after.
      const gen = generation;
      setTimeout(() => {
        if (gen === generation && status.value?.id === id && !report.value) void loadReport();
      }, pollMs);
      return;
    }
    const answer = await act('report', () => withManager((pin) => api.uploadReport(id, pin)));
    if (answer) {
      report.value = answer;
      status.value = answer.run;
    }
  }

  /** Back to Caja. A running upload keeps being watched (Caja shows its progress); else all is forgotten. */
  function close(): void {
    open.value = false;
    if (running.value && !lost.value) return;
    stopPolling();
    preflight.value = null;
    status.value = null;
    report.value = null;
    error.value = null;
    cancelling.value = false;
    forget();
  }

  /** From the report: review what is left (a new upload). */
  async function reviewAgain(): Promise<void> {
    stopPolling();
    status.value = null;
    report.value = null;
    await review();
  }

  /** At log-out: nothing of this upload stays on screen, and the PIN is forgotten. */
  function reset(): void {
    stopPolling();
    open.value = false;
    preflight.value = null;
    status.value = null;
    report.value = null;
    error.value = null;
    busy.value = null;
    cancelling.value = false;
    polledAt.value = null;
    lost.value = false;
    failedPolls = 0;
    forget();
  }

  return {
    open,
    preflight,
    status,
    report,
    busy,
    error,
    cancelling,
    polledAt,
    lost,
    step,
    running,
    ownRunning,
    review,
    refreshPreflight,
    start,
    follow,
    adopt,
    cancel,
    loadReport,
    close,
    reviewAgain,
    reset,
  };
});
