import type { IpcResult } from '../../../shared/ipc-contract.js';

/** The store's call helper, passed to components that act (see use-app-store.ts). */
export type Call = <T>(result: Promise<IpcResult<T>>) => Promise<T | undefined>;
