import { readdirSync, readFileSync } from 'node:fs';

/** ffmpeg/ffprobe processes whose parent is this process, read from /proc (Linux). */
export function childMediaProcesses(): Array<{ pid: number; comm: string }> {
  if (process.platform !== 'linux') return [];
  const found: Array<{ pid: number; comm: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid ..." — comm may contain spaces, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const state = fields[0];
    const ppid = Number(fields[1]);
    if (ppid === process.pid && state !== 'Z' && /ffmpeg|ffprobe/.test(comm)) found.push({ pid: Number(entry), comm });
  }
  return found;
}
