// Stable codes for everything the persistence can report. The UI maps a code to a sentence and an
// action, so a code never changes once shipped. The error class lives in ../errors.ts with the engine's
// other errors and the code table in shared/error-codes.ts with every other table; this file re-exports
// both for the persistence's modules.
export { CachePersistenceError, CachePersistenceErrorCode } from '../errors.js';
