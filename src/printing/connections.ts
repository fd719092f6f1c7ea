import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import { connect } from 'node:net';
import type { PrinterConnection } from '../domain/printer.js';

/**
 * PRN4: bytes to a printer, by its connection. The outcome says whether the printer may have
 * printed: a refused connection, a missing device or a CUPS queue that did not take the job
 * printed nothing (`uncertain: false`, resent as it is); a connection that broke after bytes left
 * may have printed part or all of it (`uncertain: true`: the resend says "REIMPRESIÓN").
 */
export type SendOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'printer-unreachable' | 'printer-send-failed' | 'not-a-device' | 'cups-unavailable';
      readonly message: string;
      readonly uncertain: boolean;
    };

export interface SendOptions {
  /** How long to wait for the printer at each step (connect, write, close). */
  readonly timeoutMs: number;
  /** The job's title, for a CUPS queue's listing. */
  readonly title?: string;
  /** Called when the first byte leaves (figures: "Confirmar venta" → first byte). */
  readonly onFirstByte?: () => void;
}

export function sendToPrinter(
  connection: PrinterConnection,
  bytes: Uint8Array,
  options: SendOptions,
): Promise<SendOutcome> {
  switch (connection.type) {
    case 'tcp':
      return sendTcp(connection.host, connection.port, bytes, options);
    case 'device':
      return sendDevice(connection.path, bytes, options);
    case 'cups':
      return sendCups(connection.queue, bytes, options);
  }
}

function sendTcp(host: string, port: number, bytes: Uint8Array, options: SendOptions): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(closeTimer);
      socket.destroy();
      resolve(outcome);
    };
    let closeTimer: NodeJS.Timeout | undefined;
    socket.setTimeout(options.timeoutMs);
    socket.on('connect', () => {
      connected = true;
      options.onFirstByte?.();
      socket.end(Buffer.from(bytes), () => {
        // Every byte is with the operating system; the printer closes when it has them. One that
        // keeps the socket open has them too: stop waiting after a while.
        closeTimer = setTimeout(() => {
          settle({ ok: true });
        }, options.timeoutMs);
      });
    });
    socket.on('close', (hadError) => {
      if (connected && socket.writableFinished && !hadError) settle({ ok: true });
      else
        settle({
          ok: false,
          reason: connected ? 'printer-send-failed' : 'printer-unreachable',
          message: `the printer at ${host}:${port} closed the connection`,
          uncertain: connected,
        });
    });
    socket.on('timeout', () => {
      settle({
        ok: false,
        reason: connected ? 'printer-send-failed' : 'printer-unreachable',
        message: `the printer at ${host}:${port} did not answer within ${options.timeoutMs} ms`,
        uncertain: connected,
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      settle({
        ok: false,
        reason: connected ? 'printer-send-failed' : 'printer-unreachable',
        message: `${host}:${port}: ${error.code ?? error.message}`,
        uncertain: connected,
      });
    });
  });
}

const sleep = (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

async function sendDevice(path: string, bytes: Uint8Array, options: SendOptions): Promise<SendOutcome> {
  let handle: fs.FileHandle;
  try {
    // Never create a file: a printer that is unplugged has no device file. Non-blocking, so a FIFO
    // without a reader (or a device that is not there) answers at once instead of hanging.
    handle = await fs.open(path, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, reason: 'printer-unreachable', message: `${path}: ${code}`, uncertain: false };
  }
  let written = 0;
  try {
    const stat = await handle.stat();
    if (!stat.isCharacterDevice() && !stat.isFIFO())
      return {
        ok: false,
        reason: 'not-a-device',
        message: `${path} is not a device: a printer's device file is e.g. /dev/usb/lp0`,
        uncertain: false,
      };
    const deadline = Date.now() + options.timeoutMs;
    const buffer = Buffer.from(bytes);
    while (written < buffer.length) {
      try {
        const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
        if (written === 0 && bytesWritten > 0) options.onFirstByte?.();
        written += bytesWritten;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw error;
        await sleep(10);
      }
    }
    return { ok: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      ok: false,
      reason: written > 0 ? 'printer-send-failed' : 'printer-unreachable',
      message: `${path}: ${code}`,
      uncertain: written > 0,
    };
  } finally {
    await handle.close();
  }
}

function sendCups(queue: string, bytes: Uint8Array, options: SendOptions): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const args = ['-d', queue, '-o', 'raw', ...(options.title ? ['-t', options.title] : [])];
    const child = spawn('lp', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ ok: false, reason: 'cups-unavailable', message: `lp did not finish`, uncertain: true });
    }, options.timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-500);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle({
        ok: false,
        reason: 'cups-unavailable',
        message: error.code === 'ENOENT' ? 'CUPS is not installed (no lp command)' : error.message,
        uncertain: false,
      });
    });
    child.on('close', (code) => {
      if (code === 0) settle({ ok: true });
      else
        settle({
          ok: false,
          reason: 'cups-unavailable',
          message: `lp -d ${queue}: ${stderr.trim() || `exit ${String(code)}`}`,
          uncertain: false,
        });
    });
    child.stdin.on('error', () => undefined);
    options.onFirstByte?.();
    child.stdin.end(Buffer.from(bytes));
  });
}
