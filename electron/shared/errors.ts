import type { SerializedError } from './domain.ts';

/** Errors cross process boundaries as plain data and are rebuilt as real `Error`s on arrival. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: typeof err === 'string' ? err : 'Unknown error' };
}

export class RemoteError extends Error {
  readonly code: string | undefined;
  constructor(e: SerializedError) {
    super(e.message);
    this.name = e.name || 'Error';
    this.code = e.code;
  }
}

export function deserializeError(e: SerializedError): Error {
  return new RemoteError(e);
}
