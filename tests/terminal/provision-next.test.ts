import { afterAll, describe, expect, it } from 'vitest';
import type { Numbering } from '../../src/domain/schemas.js';
import { provision } from '../../src/host/provision.js';
import { readTerminalConfig } from '../../src/host/terminal-config.js';
import { startCloud, tempDir, type CloudProcess } from '../support/processes.js';

/**
 * RNG4 at provisioning, against the reference cloud as a process: a resolution the store assigns
 * from a later day does not replace the one in use; a terminal provisioned now numbers from the
 * one in force and holds the later one, with a key certified for it.
 */
let cloud: CloudProcess | undefined;
const dir = tempDir('caja-provision-next-');

afterAll(async () => {
  await cloud?.process.stop();
  dir.remove();
});

describe('provisioning holds the next range', () => {
  it('[RNG4] a resolution valid from a later day is held at provisioning, the one in force is used', async () => {
    cloud = await startCloud(`${dir.path}/cloud.db`);
    const c = cloud;
    const post = async (path: string, body: unknown) =>
      fetch(`${c.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const later: Numbering = {
      prefix: 'C3',
      from: 20_001,
      to: 40_000,
      resolutionNumber: '18764000009003',
      resolutionDate: '2026-11-30',
      validFrom: '2099-01-01',
      validUntil: '2100-12-31',
    };
    expect((await post('/v1/stores/demo/terminals/caja-3/resolutions', later)).status).toBe(201);

    const result = await provision({
      cloudUrl: c.url,
      token: c.token,
      storeId: 'demo',
      terminalId: 'caja-3',
      dataDir: `${dir.path}/caja-3`,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.range).toMatch(/^prefijo C3, 1–5000 \(of 1–20000\)/);
    expect(result.value.nextRange).toMatch(
      /^prefijo C3, 20001–25000 \(of 20001–40000\), resolution 18764000009003$/,
    );
    const { config } = readTerminalConfig(`${dir.path}/caja-3`);
    expect(config.provisioning.terminal.numbering.from).toBe(1);
    expect(config.next?.numbering).toEqual(later);
    expect(config.next?.certificate.numbering).toEqual(later);
    expect(config.next?.certificate.publicKey).not.toBe(config.certificate.publicKey);

    // A key cannot be certified for a resolution the terminal was never assigned.
    const unknown = await post('/v1/stores/demo/terminals/caja-3/keys', {
      publicKey: 'A'.repeat(43),
      range: { prefix: 'C3', from: 90_001 },
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('unknown-range');
  }, 60_000);
});
