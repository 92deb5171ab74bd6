/** A model pack that cannot be used, with a message that says what to do. */
export class PackError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_MANIFEST' | 'MISSING_FILE' | 'TRUNCATED' | 'CHECKSUM' | 'MISMATCH' | 'UNSUPPORTED' | 'DOWNLOAD' | 'RUNTIME',
    message: string,
  ) {
    super(message);
    this.name = 'PackError';
  }
}
