import { CrashSafeFSStorageAdapter, type CrashSafeStorageOptions } from './crash-safe-storage.js';

/**
 * The repo's storage on the data directory: NodeFSStorageAdapter's layout, but every save is
 * crash-atomic (temp file, fsync, rename, directory fsync). Temp files a crash left behind are
 * removed before the repo writes anything.
 */
export async function openStorage(
  dir: string,
  options: CrashSafeStorageOptions = {},
): Promise<CrashSafeFSStorageAdapter> {
  const storage = new CrashSafeFSStorageAdapter(dir, options);
  await storage.cleanTempFiles();
  return storage;
}
