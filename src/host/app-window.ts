import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * `caja terminal --open`: the cashier's screen in an app-mode browser window (Chromium `--app=`:
 * no tabs, no address bar), as a desktop webview would show it. Chromium-family browsers only:
 * they are the ones with an app mode.
 */

/** Looked for on PATH, in this order. */
export const BROWSER_COMMANDS = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
] as const;

/** Where these browsers install themselves when they are not on PATH. */
export const BROWSER_FALLBACK_PATHS = [
  '/usr/bin/chromium',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
] as const;

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface BrowserLookup {
  /** The directories of PATH, in order. */
  readonly pathDirs: readonly string[];
  readonly fallbackPaths?: readonly string[];
  readonly isExecutable?: (path: string) => boolean;
}

/** The first app-mode browser found: each command in each PATH directory, then the fallbacks. */
export function findAppBrowser(lookup: BrowserLookup): string | undefined {
  const isExecutable = lookup.isExecutable ?? isExecutableFile;
  for (const command of BROWSER_COMMANDS) {
    for (const dir of lookup.pathDirs) {
      if (dir === '') continue;
      const candidate = join(dir, command);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return (lookup.fallbackPaths ?? BROWSER_FALLBACK_PATHS).find((path) => isExecutable(path));
}

export function pathDirsOf(pathVariable: string | undefined): string[] {
  return (pathVariable ?? '').split(delimiter).filter((dir) => dir !== '');
}

/**
 * The browser's arguments: its own profile under the terminal's data directory (so it neither
 * joins nor disturbs the user's browser session), and no sandbox only when running as root, where
 * Chromium refuses to start with it. `--kiosk-printing`: the browser fallback (no receipt
 * printer configured) prints `window.print()` straight to the system's default printer, without
 * the print dialog a cashier would have to answer after every sale.
 */
export function appWindowArgs(url: string, profileDir: string, asRoot: boolean): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--kiosk-printing',
    ...(asRoot ? ['--no-sandbox'] : []),
  ];
}

/** The URL a browser on this machine opens: a wildcard listen address is reached on loopback. */
export function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  const bracketed = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `http://${bracketed}:${port}/`;
}

export type OpenOutcome = { readonly opened: true; readonly browser: string } | { readonly opened: false };

/**
 * Start the browser detached (it outlives nothing of ours and we never wait for it). When no browser
 * is found, or it cannot be started, say so in Spanish and English with the URL; the terminal keeps
 * running either way.
 */
export function openAppWindow(
  url: string,
  profileDir: string,
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly log?: (line: string) => void;
    /** Instead of BROWSER_FALLBACK_PATHS (tests). */
    readonly fallbackPaths?: readonly string[];
  } = {},
): OpenOutcome {
  const env = options.env ?? process.env;
  const log =
    options.log ??
    ((line: string) => {
      console.log(line);
    });
  const browser = findAppBrowser({
    pathDirs: pathDirsOf(env.PATH),
    ...(options.fallbackPaths ? { fallbackPaths: options.fallbackPaths } : {}),
  });
  const explain = () => {
    log(`caja terminal: no se encontró Chromium, Chrome ni Edge; abra ${url} en un navegador.`);
    log(`caja terminal: no Chromium, Chrome or Edge found; open ${url} in a browser.`);
  };
  if (browser === undefined) {
    explain();
    return { opened: false };
  }
  const asRoot = process.getuid?.() === 0;
  try {
    const child = spawn(browser, appWindowArgs(url, profileDir, asRoot), {
      detached: true,
      stdio: 'ignore',
      env,
    });
    child.on('error', (error) => {
      log(`caja terminal: ${browser}: ${error.message}`);
      explain();
    });
    child.unref();
  } catch (error) {
    log(`caja terminal: ${browser}: ${error instanceof Error ? error.message : String(error)}`);
    explain();
    return { opened: false };
  }
  log(`caja terminal: abriendo / opening ${url} (${browser})`);
  return { opened: true, browser };
}
