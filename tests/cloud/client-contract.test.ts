import { cloudClientContract } from '../contract/cloud-client.contract.js';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { startCloud, tempDir } from '../support/processes.js';
import { freePort } from '../support/proxy.js';

// UPL11: the reference cloud as a real process on loopback (a real SQLite file), through the
// terminals' own client; the DIAN transmission runs 100 ms after an upload instead of 2 s.
cloudClientContract('the reference cloud (caja cloud)', async () => {
  const dir = tempDir('caja-contract-');
  const cloud = await startCloud(`${dir.path}/cloud.db`, undefined, 0, ['--dian-delay-ms', '100']);
  const client = (token: string) => new CloudClient({ baseUrl: cloud.url, token, timeoutMs: 20_000 });
  // A port nobody listens on: the connection is refused.
  const nobody = await freePort();
  return {
    cloud: client(cloud.token),
    token: cloud.token,
    withToken: client,
    unreachable: () =>
      new CloudClient({ baseUrl: `http://127.0.0.1:${nobody}`, token: cloud.token, timeoutMs: 5_000 }),
    nit: '901234567',
    transmit: () => undefined,
    close: async () => {
      await cloud.process.stop();
      dir.remove();
    },
  };
});
