export type StoreErrorCode =
  | 'NEWER_VERSION'
  | 'CORRUPT'
  | 'READ_ONLY'
  | 'CANNOT_OPEN'
  | 'PROJECT_NOT_FOUND'
  | 'CLIP_NOT_FOUND'
  | 'GENERATION_NOT_FOUND'
  | 'PLAN_NOT_FOUND'
  | 'BAD_EDIT'
  | 'NOTHING_TO_UNDO'
  | 'NOTHING_TO_REDO'
  | 'TIMELINE_NOT_FOUND';

/** A store failure the user can act on; `code` lets transports and tests branch on it. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
