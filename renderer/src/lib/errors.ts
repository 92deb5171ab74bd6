/** The message to show in place for anything an API call threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return 'Something went wrong, and the engine gave no reason.';
}
