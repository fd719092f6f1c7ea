import { execFileSync } from 'node:child_process';

/**
 * A network namespace joined to this one by a veth pair: processes run in it (`prefix`) see only
 * its own loopback and the veth's /24, so their multicast (mDNS) never reaches the machine's
 * LAN, other tests' terminals, or anyone else's; this side reaches them at `address`. Needs root
 * (CAP_NET_ADMIN, CAP_SYS_ADMIN). Deleting the namespace deletes the veth pair with it.
 */
export interface NetNamespace {
  readonly name: string;
  /** The namespace's end of the veth, where its processes listen. */
  readonly address: string;
  /** Runs a command inside: `[...prefix, command, ...args]`. */
  readonly prefix: readonly string[];
  remove(): void;
}

const NAME_PREFIX = 'caja-mdns-';

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Whether this process may create namespaces: root. As root, `ip` (iproute2, which .ci/run
 * installs) must work — a machine where it does not fails the test rather than skipping it.
 */
export function canUseNetNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  ip('netns', 'list');
  return true;
}

/** Namespaces a killed test run left behind (their pid is gone): removed before making more. */
export function removeStaleNamespaces(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const owner = /^caja-mdns-(\d+)-\d+$/.exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    try {
      ip('netns', 'del', name);
    } catch {
      // Another run removed it first.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Namespace `index` of this process: 10.231.<x>.2 inside, .1 on this side, x from the pid and the
 * index so that concurrent runs do not collide. Whatever step fails, what was made is undone.
 */
export function createNetNamespace(index: number): NetNamespace {
  const name = `${NAME_PREFIX}${process.pid}-${index}`;
  const subnet = `10.231.${((process.pid % 100) * 2 + index) % 250}`;
  const outside = `cm${process.pid % 1_000_000}o${index}`;
  const inside = `cm${process.pid % 1_000_000}i${index}`;
  const remove = (): void => {
    try {
      ip('netns', 'del', name);
    } catch {
      // Not there (never made, or already removed).
    }
    try {
      ip('link', 'del', outside);
    } catch {
      // Went with the namespace.
    }
  };
  try {
    ip('netns', 'add', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside, 'netns', name);
    ip('addr', 'add', `${subnet}.1/24`, 'dev', outside);
    ip('link', 'set', outside, 'up');
    ip('-n', name, 'addr', 'add', `${subnet}.2/24`, 'dev', inside);
    ip('-n', name, 'link', 'set', inside, 'up');
  } catch (error) {
    remove();
    throw error;
  }
  return { name, address: `${subnet}.2`, prefix: ['ip', 'netns', 'exec', name], remove };
}
