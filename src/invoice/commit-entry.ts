import { err, ok, type Result } from '../domain/result.js';
import type { JournalEntry } from '../domain/journal-entry.js';
import { LedgerWriteError, type FiscalLedger, type LedgerReason, type NewEntry } from './ledger.js';

/**
 * Commit an entry unless the terminal cannot (its disk fails, its clock was set back): nothing
 * is written then, and the command answers why. Call inside `ledger.run`.
 */
export async function commitEntry(
  ledger: FiscalLedger,
  entry: NewEntry,
): Promise<Result<JournalEntry, LedgerReason>> {
  const allowed = ledger.canCommit();
  if (!allowed.ok) return allowed;
  try {
    return ok(await ledger.commitNow(entry));
  } catch (error) {
    if (error instanceof LedgerWriteError) return err(error.reason, error.message);
    throw error;
  }
}
