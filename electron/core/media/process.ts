import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { resolveBinary, type MediaTool } from './binaries.ts';
import { abortError, MediaError } from './errors.ts';
import { ProgressParser, type FfmpegProgress } from './progress.ts';
import { isShowinfoLine } from './showinfo.ts';

const live = new Set<ChildProcess>();

/** How many ffmpeg/ffprobe children this process still has running (tests assert 0). */
export function liveMediaProcessCount(): number {
  return live.size;
}

export interface SpawnOptions {
  signal?: AbortSignal;
  /** Called with each `-progress` block; the caller must pass `-progress pipe:3` in args. */
  onProgress?: (p: FfmpegProgress) => void;
  /** Lets progress report a fraction. */
  durationSec?: number;
  /** Called with each complete stderr line (e.g. to read showinfo). */
  onStderrLine?: (line: string) => void;
  /** Extra output pipes at fd 4, 5, … (for ffmpeg outputs such as `pipe:4`). */
  extraOutputs?: number;
}

export interface MediaProcess {
  readonly child: ChildProcess;
  readonly stdout: Readable;
  /** The pipes asked for with `extraOutputs`, fd 4 first. */
  readonly extra: Readable[];
  /** Resolves when the process has exited and its pipes are closed; rejects on failure or abort. */
  readonly done: Promise<void>;
  /** Last stderr lines, for error messages. */
  stderrTail(): string;
  /** Stops the process now (SIGKILL): decoders have nothing to flush. */
  kill(): void;
}

const STDERR_TAIL_LINES = 40;

/**
 * The one place that starts ffmpeg or ffprobe. Every child is tracked, killed on abort, and
 * its exit awaited, so cancelling never leaves a process behind.
 */
export function spawnMedia(tool: MediaTool, args: readonly string[], opts: SpawnOptions = {}): MediaProcess {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  const bin = resolveBinary(tool);
  const wantsProgress = opts.onProgress !== undefined;
  const extraCount = opts.extraOutputs ?? 0;
  // fd 3 is the progress pipe; it stays open (ignored) when extra outputs follow it.
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe'];
  if (wantsProgress || extraCount > 0) stdio.push(wantsProgress ? 'pipe' : 'ignore');
  for (let i = 0; i < extraCount; i++) stdio.push('pipe');
  const child = spawn(bin.path, args, { stdio, windowsHide: true });
  live.add(child);

  const tail: string[] = [];
  let partialLine = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    const lines = (partialLine + chunk).split(/\r?\n|\r/);
    partialLine = lines.pop() ?? '';
    for (const line of lines) handleLine(line);
  });
  function handleLine(line: string): void {
    if (!line) return;
    opts.onStderrLine?.(line);
    // showinfo floods stderr with one line per frame; keep only diagnostics in the tail.
    if (isShowinfoLine(line)) return;
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
  }

  if (wantsProgress) {
    const parser = new ProgressParser(opts.durationSec);
    const progressPipe = child.stdio[3] as Readable;
    progressPipe.setEncoding('utf8');
    progressPipe.on('data', (chunk: string) => {
      for (const p of parser.push(chunk)) opts.onProgress!(p);
    });
  }

  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const done = new Promise<void>((resolve, reject) => {
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    // 'close' fires after exit and after all stdio streams closed.
    child.once('close', (code, sig) => {
      if (partialLine) handleLine(partialLine);
      partialLine = '';
      live.delete(child);
      signal?.removeEventListener('abort', onAbort);
      if (aborted) return reject(abortError(signal));
      if (spawnError) {
        return reject(new MediaError('BINARY_NOT_FOUND', `Could not start ${tool} at ${bin.path}: ${spawnError.message}`, { cause: spawnError }));
      }
      if (code === 0) return resolve();
      const why = sig ? `was killed by ${sig}` : `exited with code ${code}`;
      reject(
        new MediaError('FFMPEG_FAILED', `${tool} ${why}: ${lastMeaningfulLine(tail) ?? 'no error output'}`, {
          stderr: tail.join('\n'),
        }),
      );
    });
  });
  // Callers that only iterate stdout may never await `done`; avoid an unhandled rejection.
  done.catch(() => undefined);

  return {
    child,
    stdout: child.stdout!,
    extra: child.stdio.slice(4) as Readable[],
    done,
    stderrTail: () => tail.join('\n'),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function lastMeaningfulLine(lines: string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (l && !/^(Press \[q\]|frame=|size=|video:|\s*$)/.test(l)) return l;
  }
  return undefined;
}

/** Runs a tool to completion and returns its stdout. */
export async function runMedia(tool: MediaTool, args: readonly string[], opts: SpawnOptions = {}): Promise<Buffer> {
  const proc = spawnMedia(tool, args, opts);
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (c: Buffer) => chunks.push(c));
  await proc.done;
  return Buffer.concat(chunks);
}
