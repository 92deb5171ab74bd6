/** An error a user can act on; `code` lets callers and tests branch without parsing text. */
export type MediaErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_FILE'
  | 'EMPTY_FILE'
  | 'UNREADABLE'
  | 'NOT_MEDIA'
  | 'TRUNCATED'
  | 'NO_VIDEO'
  | 'NO_AUDIO'
  | 'BINARY_NOT_FOUND'
  | 'FFMPEG_FAILED'
  | 'ABORTED';

export class MediaError extends Error {
  readonly code: MediaErrorCode;
  /** The tool's last stderr lines, when a tool failed. */
  readonly stderr?: string;
  constructor(code: MediaErrorCode, message: string, options?: { cause?: unknown; stderr?: string }) {
    super(message, options);
    if (options?.stderr !== undefined) this.stderr = options.stderr;
    this.name = code === 'ABORTED' ? 'AbortError' : 'MediaError';
    this.code = code;
  }
}

export function abortError(signal?: AbortSignal): MediaError {
  const reason = signal?.reason;
  const detail = reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
  return new MediaError('ABORTED', `Cancelled${detail}`);
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as MediaError).code === 'ABORTED');
}
