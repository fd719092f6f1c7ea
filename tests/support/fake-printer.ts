import { createServer, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';

/** One connection to the printer: the bytes it received, and when the first of them arrived. */
export interface PrintedJob {
  readonly bytes: Buffer;
  readonly firstByteAt: number;
  readonly at: number;
}

/**
 * A network receipt printer on 127.0.0.1 (raw TCP, as port 9100 is): records each connection's
 * bytes. It can be down (nothing listens on its port: the connection is refused, as with a printer
 * switched off) and come back on the same port; `cutAfter` makes it drop the next connection after
 * that many bytes (a cable pulled in the middle of a receipt).
 */
export class FakePrinter {
  readonly jobs: PrintedJob[] = [];
  port = 0;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  cutAfter: number | undefined;

  async start(port = this.port): Promise<this> {
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      const chunks: Buffer[] = [];
      let firstByteAt = 0;
      let received = 0;
      const cut = this.cutAfter;
      this.cutAfter = undefined;
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        const bytes = Buffer.concat(chunks);
        this.jobs.push({
          bytes: cut === undefined ? bytes : bytes.subarray(0, cut),
          firstByteAt,
          at: Date.now(),
        });
      };
      socket.on('data', (chunk: Buffer) => {
        if (firstByteAt === 0) firstByteAt = Date.now();
        chunks.push(chunk);
        received += chunk.length;
        if (cut !== undefined && received >= cut) {
          record();
          socket.resetAndDestroy();
        }
      });
      socket.on('end', () => {
        record();
        socket.end();
      });
      socket.on('close', () => {
        if (received > 0) record();
        this.#sockets.delete(socket);
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.#server = server;
    return this;
  }

  /** Switched off: the port refuses connections until `start()` again. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
  }

  /** Every job as the text a person reads on the paper. */
  texts(): string[] {
    return this.jobs.map((j) => escPosText(j.bytes));
  }
}

/**
 * The text of ESC/POS bytes, as printed: commands removed, the rest decoded from the code page the
 * job selected (ESC t n; cp858 if none) — decoded with iconv-lite, independently of the encoder.
 */
export function escPosText(bytes: Uint8Array): string {
  const pages: Record<number, string> = { 0: 'cp437', 2: 'cp850', 16: 'windows1252', 19: 'cp858' };
  let page = 'cp858';
  const text: number[] = [];
  let i = 0;
  const ESC = 0x1b;
  const GS = 0x1d;
  const FS = 0x1c;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const next = bytes[i + 1] ?? 0;
    if (b === ESC) {
      if (next === 0x40 || next === 0x32) i += 2;
      else if (next === 0x74) {
        page = pages[bytes[i + 2] ?? 0] ?? page;
        i += 3;
      } else if (next === 0x70) i += 5;
      else i += 3;
    } else if (b === GS) {
      if (next === 0x56) i += (bytes[i + 2] ?? 0) >= 65 ? 4 : 3;
      else i += 3;
    } else if (b === FS) i += 2;
    else if (b === 0x0d) i += 1;
    else {
      text.push(b);
      i += 1;
    }
  }
  return iconv.decode(Buffer.from(text), page);
}

/** The ESC/POS commands a job holds, by name (what a test checks: init, cut, drawer pulse). */
export function escPosCommands(bytes: Uint8Array): {
  init: boolean;
  cut: boolean;
  pulse: boolean;
  codepage?: number;
} {
  const b = Buffer.from(bytes);
  const codepageAt = b.indexOf(Buffer.from([0x1b, 0x74]));
  return {
    init: b.subarray(0, 2).equals(Buffer.from([0x1b, 0x40])),
    cut: b.includes(Buffer.from([0x1d, 0x56])),
    pulse: b.includes(Buffer.from([0x1b, 0x70])),
    ...(codepageAt >= 0 ? { codepage: b[codepageAt + 2] } : {}),
  };
}
