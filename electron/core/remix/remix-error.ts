/** Why a track cannot be remixed; `code` lets callers and tests branch without parsing text. */
export type RemixErrorCode =
  | 'TRACK_UNREADABLE'
  | 'TRACK_TOO_LONG'
  | 'TRACK_TOO_SHORT'
  | 'TRACK_SILENT'
  | 'NO_BEAT'
  | 'BAD_OPTIONS';

export class RemixError extends Error {
  readonly code: RemixErrorCode;
  constructor(code: RemixErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RemixError';
    this.code = code;
  }
}
