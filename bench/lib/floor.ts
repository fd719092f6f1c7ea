/**
 * The physical floor under a terminal's work, measured on this machine in the same run: appending
 * an invoice's bytes to a file and fdatasync-ing it (what "durable before it is shown" costs at the
 * least), and a loopback TCP round trip of the same bytes to another process (the least a request
 * or a peer's message costs).
 */
import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { percentile } from './report.js';

export interface Floor {
  readonly bytes: number;
  /** write + fdatasync of `bytes`, sorted, ms. */
  readonly fsync: number[];
  /** Loopback round trip of `bytes` to another process and back, sorted, ms. */
  readonly roundTrip: number[];
}

const ECHO_SERVER = `
const net = require('node:net');
const server = net.createServer((socket) => { socket.setNoDelay(true); socket.pipe(socket); });
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

function measureFsync(file: string, payload: Buffer, times: number): number[] {
  const fd = openSync(file, 'a');
  const out: number[] = [];
  try {
    for (let i = 0; i < times; i += 1) {
      const t0 = performance.now();
      writeSync(fd, payload);
      fdatasyncSync(fd);
      out.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
  }
  return out.sort((a, b) => a - b);
}

async function measureRoundTrip(payload: Buffer, times: number): Promise<number[]> {
  const child = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => {
        const match = /port (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
        else reject(new Error(`echo server said ${chunk.toString()}`));
      });
      child.once('exit', () => {
        reject(new Error('the echo server exited'));
      });
    });
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const out: number[] = [];
    try {
      for (let i = 0; i < times; i += 1) {
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          let received = 0;
          const onData = (chunk: Buffer) => {
            received += chunk.length;
            if (received >= payload.length) {
              socket.off('data', onData);
              resolve();
            }
          };
          socket.on('data', onData);
          socket.write(payload);
        });
        out.push(performance.now() - t0);
      }
    } finally {
      socket.destroy();
    }
    return out.sort((a, b) => a - b);
  } finally {
    child.kill('SIGTERM');
  }
}

/** The floor for one invoice of `payload` bytes, `times` measurements each. */
export async function measureFloor(file: string, payload: Buffer, times = 500): Promise<Floor> {
  const fsync = measureFsync(file, payload, times);
  const roundTrip = await measureRoundTrip(payload, times);
  return { bytes: payload.length, fsync, roundTrip };
}

export function floorSummary(floor: Floor): string {
  const f = (xs: number[], p: number) => percentile(xs, p).toFixed(3);
  return `${floor.bytes} B: write+fdatasync p50 ${f(floor.fsync, 50)} ms, p99 ${f(floor.fsync, 99)} ms; loopback round trip p50 ${f(floor.roundTrip, 50)} ms, p99 ${f(floor.roundTrip, 99)} ms`;
}
