import { defineStore, storeToRefs } from 'pinia';
import { ref, shallowRef } from 'vue';
import { api } from '../api/endpoints.js';
import { reasonOf } from '../api/http.js';
import type { ClosePreview, ShiftReport } from '../../contract/host-api.js';
import { newCommandId } from '../command-id.js';
import { useHealthStore } from './health.js';
import { useManagerStore } from './manager.js';
import { useToastStore } from './toasts.js';

export type ShiftAction = 'open' | 'movement' | 'x-report' | 'close' | 'preview';

/**
 * The cash drawer's commands (Caja): open the shift, cash in/out, X report, close with the Z
 * report. Each command's id is made when its form is ready and renewed only after it succeeded.
 */
export const useShiftStore = defineStore('shift', () => {
  const health = useHealthStore();
  const { shift } = storeToRefs(health);
  const busy = ref<ShiftAction | null>(null);
  const error = ref<{ action: ShiftAction; reason: string } | null>(null);
  const xReport = shallowRef<ShiftReport | null>(null);
  const zReport = shallowRef<ShiftReport | null>(null);
  /** SHF6: the Z the close would give with the count typed, shown before the close is confirmed. */
  const closePreview = shallowRef<ClosePreview | null>(null);
  const commandIds: Record<'open' | 'movement' | 'close', string> = {
    open: newCommandId('turno'),
    movement: newCommandId('mov'),
    close: newCommandId('cierre'),
  };

  async function run<T>(action: ShiftAction, task: () => Promise<T>): Promise<T | undefined> {
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

  async function openShift(openingCash: number): Promise<boolean> {
    const answer = await run('open', () => api.openShift(openingCash, commandIds.open));
    if (!answer) return false;
    commandIds.open = newCommandId('turno');
    health.setShift(answer.shift);
    zReport.value = null;
    xReport.value = null;
    void health.refresh();
    return true;
  }

  async function addMovement(movement: { type: 'in' | 'out'; amount: number; reason: string }) {
    const answer = await run('movement', () => api.cashMovement(movement, commandIds.movement));
    if (!answer) return false;
    commandIds.movement = newCommandId('mov');
    useToastStore().info('cash.movementDone');
    if (xReport.value) void loadXReport();
    return true;
  }

  async function loadXReport(): Promise<void> {
    const answer = await run('x-report', () => api.shiftReport());
    if (answer) xReport.value = answer.report;
  }

  async function previewClose(countedCash: number): Promise<boolean> {
    const answer = await run('preview', () => api.closePreview(countedCash));
    if (answer) closePreview.value = answer;
    return answer !== undefined;
  }

  /**
   * Close with the count previewed: beyond the store's limit a manager's PIN (unless a manager is
   * logged in) and the note; within it, the cashier closes.
   */
  async function closeShift(countedCash: number, note?: string): Promise<boolean> {
    const needsManager = closePreview.value?.needsManager ?? true;
    const answer = await run('close', () =>
      needsManager
        ? useManagerStore().authorize('close-shift', (pin) =>
            api.closeShift(countedCash, commandIds.close, pin, note),
          )
        : api.closeShift(countedCash, commandIds.close, undefined, note),
    );
    if (!answer) return false;
    closePreview.value = null;
    commandIds.close = newCommandId('cierre');
    zReport.value = answer.report;
    xReport.value = null;
    health.setShift(null);
    void health.refresh();
    return true;
  }

  return {
    shift,
    busy,
    error,
    xReport,
    zReport,
    closePreview,
    previewClose,
    cancelClose: () => {
      closePreview.value = null;
    },
    openShift,
    addMovement,
    loadXReport,
    closeShift,
    dismissZReport: () => {
      zReport.value = null;
    },
    /** At log-out: nothing of the last user's reports stays on screen. */
    reset: () => {
      xReport.value = null;
      zReport.value = null;
      closePreview.value = null;
      error.value = null;
    },
  };
});
