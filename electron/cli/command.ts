/** What every `v2m` sub-command implements; `main.ts` dispatches to these. */
export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal: show progress bars there. */
  isTTY: boolean;
  /** Aborted on Ctrl+C; pass it to every long call. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  /** One line for `v2m --help`. */
  summary: string;
  /** Full usage text for `v2m <name> --help`. */
  usage: string;
  /** Returns the process exit code. Throw `UsageError` for bad arguments, any Error for failures. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** Bad command-line arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
