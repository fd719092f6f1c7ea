import { MemoryCloud } from '../../support/memory-cloud.js';
import { cloudClientContract } from '../../contract/cloud-client.contract.js';

// UPL11: the in-memory cloud the upload's unit tests use answers as the reference cloud does.
cloudClientContract('the in-memory cloud', () => {
  const memory = new MemoryCloud();
  return Promise.resolve({
    cloud: memory.client(),
    token: memory.token,
    withToken: (token) => memory.client(token),
    unreachable: () => {
      const down = new MemoryCloud();
      down.down();
      return down.client();
    },
    nit: '901234567',
    transmit: () => {
      memory.transmitDian();
    },
    close: () => Promise.resolve(),
  });
});
