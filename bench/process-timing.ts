import { execFileSync, spawnSync } from 'node:child_process';

/** One finished run of a command: what a user waited for and what it cost. */
export interface Run {
  wallSec: number;
  /** User + system CPU of the command and its children; null where no Python could measure it. */
  cpuSec: number | null;
  /** Peak RSS of the largest process the command ran (the Node or Python process itself). */
  rssMB: number | null;
  stdout: string;
}

/**
 * Runs a command to completion; CPU comes from getrusage(RUSAGE_CHILDREN) through a tiny Python
 * wrapper when a Python is there (Node cannot read a child's rusage).
 */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const py = pythonFor('wrapper');
  if (py) {
    const wrapper =
      'import json,resource,subprocess,sys,time\n' +
      't=time.perf_counter();p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE)\n' +
      'w=time.perf_counter()-t;u=resource.getrusage(resource.RUSAGE_CHILDREN)\n' +
      'sys.stderr.write(p.stderr.decode(errors="replace"));sys.stdout.write(p.stdout.decode(errors="replace"))\n' +
      'print("\\n@@timing "+json.dumps({"wall":w,"cpu":u.ru_utime+u.ru_stime,"rss":u.ru_maxrss/1024,"rc":p.returncode}))';
    const r = spawnSync(py, ['-c', wrapper, cmd, ...args], { env, encoding: 'utf8', maxBuffer: 256 << 20 });
    const m = /@@timing (.*)$/m.exec(r.stdout);
    if (!m) throw new Error(`${cmd} ${args.join(' ')}: no timing (${r.stderr.slice(-500)})`);
    const t = JSON.parse(m[1]!) as { wall: number; cpu: number; rss: number; rc: number };
    if (t.rc !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${t.rc}): ${r.stderr.slice(-800)}`);
    return { wallSec: t.wall, cpuSec: t.cpu, rssMB: t.rss, stdout: r.stdout.slice(0, m.index) };
  }
  const t0 = performance.now();
  const stdout = execFileSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 256 << 20 });
  return { wallSec: (performance.now() - t0) / 1000, cpuSec: null, rssMB: null, stdout };
}

export function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.wallSec < a.wallSec ? b : a));
}

const pythonCache = new Map<string, string | null>();
/** A Python that can run `check` (default: any Python at all). */
export function pythonFor(key: string, check = 'pass', env: NodeJS.ProcessEnv = process.env): string | null {
  if (pythonCache.has(key)) return pythonCache.get(key)!;
  let found: string | null = null;
  for (const py of ['python3', '/usr/bin/python3', 'python']) {
    const r = spawnSync(py, ['-c', check], { env, encoding: 'utf8' });
    if (r.status === 0) {
      found = py;
      break;
    }
  }
  pythonCache.set(key, found);
  return found;
}

