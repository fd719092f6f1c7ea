type AudioContextCtor = new () => AudioContext;

/**
 * A short low beep: the scanned code was not added (unknown, misread, or a dialog is open). The
 * cashier's eyes are on the goods, not the screen. Never throws: a screen without WebAudio (an old
 * webview, the tests' DOM) or one the browser keeps silent simply makes no sound.
 */
export function beep(durationMs = 150, frequencyHz = 440): void {
  try {
    const scope = globalThis as { AudioContext?: AudioContextCtor; webkitAudioContext?: AudioContextCtor };
    const Ctor = scope.AudioContext ?? scope.webkitAudioContext;
    if (Ctor === undefined) return;
    const context = new Ctor();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = frequencyHz;
    gain.gain.value = 0.1;
    oscillator.connect(gain);
    gain.connect(context.destination);
    // One context per beep, closed when it ends: browsers cap how many a page keeps open.
    oscillator.onended = () => {
      context.close().catch(() => undefined);
    };
    // A context made outside a key press starts suspended (autoplay policy); the cashier has
    // pressed keys on this page, so resuming is allowed.
    context.resume().catch(() => undefined);
    oscillator.start();
    oscillator.stop(context.currentTime + durationMs / 1000);
  } catch {
    // No sound is better than a screen that stops scanning.
  }
}
