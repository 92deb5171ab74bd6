/**
 * Benchmark of the one-pass video analysis. For each clip it prints analysis wall time ÷
 * ffmpeg decode-only wall time at the same scale (full-resolution BGR, what the analysis
 * decodes; goal ≤ 1.3), analysed frames per second, and the peak RSS of the Node process
 * (goal < 400 MB and flat as clips get longer). Every measurement runs in a fresh Node child,
 * so each peak RSS is its own. ffmpeg's own memory is a separate process and not included.
 *
 *   node bin/run-ts.js bench/analyze.ts            both clips (60 s 720p, 10 min 1080p)
 *   node bin/run-ts.js bench/analyze.ts --short    only the 60 s clip
 *
 * Clips are generated once with ffmpeg and cached under os.tmpdir()/v2m-bench.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analysisFrames, runMedia } from '../electron/core/media/index.ts';
import { analyzeVideo } from '../electron/core/video/index.ts';

type Mode = 'decode' | 'analyze' | 'analyze-no-filmstrip';
interface Measurement { mode: Mode; wallSec: number; frames: number; maxRssMB: number }

const cacheDir = path.join(os.tmpdir(), 'v2m-bench');

const CLIPS = [
  { name: 'bench-60s-1280x720.mp4', sec: 60, size: '1280x720' },
  { name: 'bench-600s-1920x1080.mp4', sec: 600, size: '1920x1080' },
];

/** Moving test pattern with a hard cut every 7 s (hue shift) and a tone: realistic decode work. */
async function ensureClip(c: (typeof CLIPS)[number]): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = path.join(cacheDir, c.name);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  process.stderr.write(`generating ${c.name} (once; cached in ${cacheDir}) …\n`);
  try {
    await runMedia('ffmpeg', [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=s=${c.size}:r=25:d=${c.sec}`,
      '-f', 'lavfi', '-i', `sine=frequency=330:beep_factor=4:sample_rate=48000:duration=${c.sec}`,
      '-vf', "hue=h='floor(t/7)*67'",
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-g', '250',
      '-c:a', 'aac', '-b:a', '128k', tmp,
    ]);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  return out;
}

async function measure(mode: Mode, clip: string): Promise<Measurement> {
  const t0 = performance.now();
  let frames = 0;
  if (mode === 'decode') {
    for await (const f of analysisFrames(clip, { downscale: false, pixFmt: 'bgr24' })) frames += f.data.length > 0 ? 1 : 0;
  } else {
    const a = await analyzeVideo(clip, mode === 'analyze-no-filmstrip' ? { filmstrip: false } : {});
    frames = a.frameCount;
  }
  const wallSec = (performance.now() - t0) / 1000;
  return { mode, wallSec, frames, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

function runChild(mode: Mode, clip: string): Promise<Measurement> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(root, 'bin/run-ts.js'), path.join(root, 'bench/analyze.ts'), '--child', mode, clip], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${mode} on ${clip} failed: ${stderr || err.message}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(line) as Measurement);
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await measure(args[1] as Mode, args[2]!))}\n`);
    return;
  }
  const clips = args.includes('--short') ? CLIPS.slice(0, 1) : CLIPS;
  console.log(`v2m bench/analyze — ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  console.log('clip                        decode s  analyse s  ratio  no-filmstrip s  ratio   frames  analyse fps  peak RSS MB (decode / analyse / no-filmstrip)');
  for (const c of clips) {
    const clip = await ensureClip(c);
    const dec = await runChild('decode', clip);
    const an = await runChild('analyze', clip);
    const nf = await runChild('analyze-no-filmstrip', clip);
    console.log(
      `${c.name.padEnd(27)} ${dec.wallSec.toFixed(1).padStart(8)}  ${an.wallSec.toFixed(1).padStart(9)}  ${(an.wallSec / dec.wallSec).toFixed(2).padStart(5)}` +
        `  ${nf.wallSec.toFixed(1).padStart(14)}  ${(nf.wallSec / dec.wallSec).toFixed(2).padStart(5)}  ${String(an.frames).padStart(7)}` +
        `  ${(an.frames / an.wallSec).toFixed(1).padStart(11)}  ${dec.maxRssMB.toFixed(0)} / ${an.maxRssMB.toFixed(0)} / ${nf.maxRssMB.toFixed(0)}`,
    );
  }
}

await main();
