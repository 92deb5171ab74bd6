import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Who owns a scratch folder: enough to tell a live owner from a dead one, even after PID reuse. */
export interface ScratchOwner {
  pid: number;
  /** Kernel start time of the process (Linux `/proc/<pid>/stat` field 22), null where unknown. */
  startTicks: string | null;
  hostname: string;
  createdAt: number;
}

/** The start time the kernel records for a process, or null where /proc is not available. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

export function currentOwner(): ScratchOwner {
  return { pid: process.pid, startTicks: processStartTicks(process.pid), hostname: os.hostname(), createdAt: Date.now() };
}

export function parseOwner(text: string): ScratchOwner | null {
  try {
    const o = JSON.parse(text) as Partial<ScratchOwner>;
    if (!Number.isInteger(o.pid) || (o.pid as number) <= 0 || typeof o.hostname !== 'string') return null;
    return {
      pid: o.pid as number,
      startTicks: typeof o.startTicks === 'string' ? o.startTicks : null,
      hostname: o.hostname,
      createdAt: typeof o.createdAt === 'number' ? o.createdAt : 0,
    };
  } catch {
    return null;
  }
}

/**
 * True while the owner may still be running. A folder from another machine (a shared temp
 * directory) is always treated as alive: we cannot see its processes.
 */
export function ownerAlive(owner: ScratchOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (owner.startTicks === null) return true;
  const now = processStartTicks(owner.pid);
  // Same PID, different start time: the owner died and the PID was reused.
  return now === null || now === owner.startTicks;
}
