import type { Linter } from 'eslint';

/** The layering of src/, one `no-restricted-imports` entry per folder (eslint.boundaries.js). */
export declare const boundaries: Linter.Config[];
