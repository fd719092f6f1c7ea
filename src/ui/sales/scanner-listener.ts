import {
  DEFAULT_SCANNER_OPTIONS,
  IDLE_SCANNER,
  parseScannerGap,
  scannerStep,
  type ScannerOptions,
  type ScannerState,
} from './scanner-input.js';

/** Where the focus was when a scan ended: in the product search box, or anywhere else but a text field. */
export type ScanOrigin = 'search' | 'elsewhere';

/** A burst ended by Enter, as the page saw it. */
export interface ScanRead {
  /** The burst's keys. In the search box the box's text is the code (it may have begun before the burst). */
  readonly code: string;
  readonly origin: ScanOrigin;
  /** False when the burst followed other keys too closely: maybe the end of a code, never looked up. */
  readonly complete: boolean;
}

/** Input types that take text: a scan there is the person's (or the scanner's) text, not ours. */
const NON_TEXT_INPUTS = new Set([
  'button',
  'submit',
  'reset',
  'checkbox',
  'radio',
  'range',
  'color',
  'file',
  'image',
  'hidden',
]);

/** Whether the element is a field someone types text into (inputs, textareas, selects, editable content). */
export function isTextField(target: EventTarget | null): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(target.type.toLowerCase());
  return target instanceof HTMLElement && target.isContentEditable;
}

/** Where a technician saves a slow scanner's gap on this screen (localStorage, like the language). */
export const SCANNER_GAP_KEY = 'caja.scannerMaxGapMs';

/** The detector's settings on this screen: the saved gap, if any, else the defaults. */
export function savedScannerOptions(): ScannerOptions {
  try {
    return parseScannerGap(
      typeof localStorage === 'undefined' ? null : localStorage.getItem(SCANNER_GAP_KEY),
    );
  } catch {
    // A browser that refuses storage (private mode, policy) scans with the defaults.
    return DEFAULT_SCANNER_OPTIONS;
  }
}

export interface ScanListenerOptions {
  /** The product search box: a scan typed there is ours too (its Enter is handled here, not by the box). */
  readonly isSearchBox: (target: EventTarget | null) => boolean;
  readonly onScan: (read: ScanRead) => void;
  readonly detector?: ScannerOptions;
}

/**
 * SCL4: catches a scanner's burst wherever the focus is (a cart button, the page) except a text
 * field other than the search box. Listens on the document in the capture phase, so the Enter
 * that ends a scan is stopped before the focused button (or the search box's own Enter) sees it.
 * Returns the function that stops listening.
 */
export function listenForScans(doc: Document, options: ScanListenerOptions): () => void {
  let state: ScannerState = IDLE_SCANNER;
  /** Keys whose keydown was taken: their keyup must not press the focused button either (Space clicks on keyup). */
  const taken = new Set<string>();

  const onKeydown = (event: KeyboardEvent) => {
    if (event.isComposing) return;
    const search = options.isSearchBox(event.target);
    if (!search && isTextField(event.target)) {
      state = IDLE_SCANNER;
      return;
    }
    const step = scannerStep(
      state,
      {
        key: event.key,
        at: event.timeStamp,
        withCommand: event.ctrlKey || event.altKey || event.metaKey,
        repeat: event.repeat,
      },
      options.detector ?? DEFAULT_SCANNER_OPTIONS,
    );
    state = step.state;
    if (step.action.kind === 'pass') return;
    // In the search box the characters are the box's own text; only the Enter is taken.
    if (step.action.kind === 'swallow' && search) return;
    event.preventDefault();
    taken.add(event.key);
    if (step.action.kind === 'scan' || step.action.kind === 'partial') {
      event.stopPropagation();
      options.onScan({
        code: step.action.code,
        origin: search ? 'search' : 'elsewhere',
        complete: step.action.kind === 'scan',
      });
    }
  };
  const onKeyup = (event: KeyboardEvent) => {
    if (!taken.delete(event.key)) return;
    event.preventDefault();
    event.stopPropagation();
  };
  doc.addEventListener('keydown', onKeydown, { capture: true });
  doc.addEventListener('keyup', onKeyup, { capture: true });
  return () => {
    doc.removeEventListener('keydown', onKeydown, { capture: true });
    doc.removeEventListener('keyup', onKeyup, { capture: true });
  };
}
