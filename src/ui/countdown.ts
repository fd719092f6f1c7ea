import { computed, getCurrentInstance, onBeforeUnmount, ref, type ComputedRef } from 'vue';

export interface Countdown {
  /** Whole seconds left, 0 when not counting. */
  readonly seconds: ComputedRef<number>;
  start(seconds: number): void;
  stop(): void;
}

/**
 * The seconds of a PIN lock the host announced (`retryAfterSeconds`), counting down live on this
 * screen so the cashier sees when the pad takes PINs again. The clock is a parameter for tests.
 */
export function useCountdown(now: () => number = Date.now): Countdown {
  const until = ref<number | null>(null);
  const at = ref(now());
  let timer: ReturnType<typeof setInterval> | undefined;
  const seconds = computed(() =>
    until.value === null ? 0 : Math.max(0, Math.ceil((until.value - at.value) / 1000)),
  );

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    until.value = null;
  }

  function tick(): void {
    at.value = now();
    if (seconds.value === 0) stop();
  }

  function start(secondsLeft: number): void {
    at.value = now();
    until.value = at.value + secondsLeft * 1000;
    // A quarter of a second keeps the shown second within 250 ms of the host's.
    timer ??= setInterval(tick, 250);
  }

  if (getCurrentInstance()) onBeforeUnmount(stop);
  return { seconds, start, stop };
}
