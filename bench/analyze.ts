/**
 * What a user waits for when a clip is analysed, against the tool whose cuts we reproduce:
 *
 *   cli        the whole `v2m analyze <clip> --json` process, cold (node start, probe, decode,
 *              cuts, rhythm, colour, filmstrip, waveform, JSON written)
 *   app job    the app's analysis job (Engine.analyze → job done) in a fresh engine
 *   PySceneDetect 0.6.6 `detect(clip, ContentDetector())`, the whole Python process
 *   ffmpeg     ffmpeg decoding the video at the analysis size (longer side 256) to nothing
 *   in-process analyzeVideo() inside a running Node (second line; no process start)
 *
 * Peak RSS (goal < 400 MB, flat as clips get longer: try --clips 60s,600s) is the Node or
 * Python process's own; ffmpeg is a separate process and not included.
 * Each is a fresh process, best of --repeat by wall time; CPU (user + system, children
 * included) is printed beside it, because on a loaded machine wall time says little. Ratios:
 * ours ÷ PySceneDetect (goal ≤ 0.5) and ours ÷ ffmpeg decode. The cuts of the CLI and of
 * PySceneDetect are compared frame for frame.
 *
 * PySceneDetect: --scenedetect-python <python> that imports it; else a venv the bench makes
 * once under os.tmpdir()/v2m-bench (pip install scenedetect==0.6.6 opencv-python-headless);
 * where pip cannot reach PyPI, --scenedetect-src <checkout of PySceneDetect 0.6.6> run by a
 * Python that has OpenCV (e.g. Debian's python3-opencv). Without any of them the PySceneDetect
 * ratios are skipped, saying why.
 *
 *   node bin/run-ts.js bench/analyze.ts [--clips 60s,testvideo,600s] [--repeat 3]
 *          [--scenedetect-python PY] [--scenedetect-src DIR]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { best, pythonFor, timed, type Run } from './process-timing.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analysisSize, probe, resolveBinary } from '../electron/core/media/index.ts';
import { analyzeVideo } from '../electron/core/video/index.ts';
import { benchClip, benchDir } from './bench-clips.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testVideo = path.resolve(root, '../shared/data/pyscenedetect/tests/resources/testvideo.mp4');

interface SceneDetect {
  python: string;
  env: NodeJS.ProcessEnv;
  label: string;
}

const PSD_VERSION = '0.6.6';
const PSD_PROBE = 'import scenedetect, cv2, sys; sys.stdout.write(scenedetect.__version__ + " / OpenCV " + cv2.__version__)';

/** Finds or makes a PySceneDetect 0.6.6 to run, or says why there is none. */
function findSceneDetect(opts: { python?: string; src?: string }): SceneDetect | { missing: string } {
  const tryPython = (python: string, env: NodeJS.ProcessEnv, how: string): SceneDetect | string => {
    const r = spawnSync(python, ['-c', PSD_PROBE], { env, encoding: 'utf8' });
    if (r.status !== 0) return `${python}: ${(r.stderr.trim().split('\n').pop() ?? 'failed')}`;
    if (!r.stdout.startsWith(PSD_VERSION)) return `${python} has PySceneDetect ${r.stdout}, not ${PSD_VERSION}`;
    return { python, env, label: `PySceneDetect ${r.stdout} (${how})` };
  };
  const reasons: string[] = [];
  if (opts.python) {
    const r = tryPython(opts.python, process.env, opts.python);
    if (typeof r !== 'string') return r;
    reasons.push(r);
  }
  const venv = path.join(benchDir, `scenedetect-${PSD_VERSION}-venv`);
  const venvPython = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  if (!opts.python) {
    if (!existsSync(venvPython)) {
      const base = pythonFor('venv', 'import venv');
      if (base) {
        process.stderr.write(`making ${venv} (pip install scenedetect==${PSD_VERSION} opencv-python-headless) …\n`);
        const mk = spawnSync(base, ['-m', 'venv', venv], { encoding: 'utf8' });
        const pip = mk.status === 0
          ? spawnSync(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--timeout', '20', `scenedetect==${PSD_VERSION}`, 'opencv-python-headless'], { encoding: 'utf8', timeout: 600_000 })
          : mk;
        if (pip.status !== 0) {
          reasons.push(`pip could not install it (${(pip.stderr || pip.stdout || '').trim().split('\n').pop()})`);
          rmSync(venv, { recursive: true, force: true });
        }
      } else reasons.push('no Python with venv to install it into');
    }
    if (existsSync(venvPython)) {
      const r = tryPython(venvPython, process.env, `venv ${venv}`);
      if (typeof r !== 'string') return r;
      reasons.push(r);
    }
  }
  if (opts.src) {
    const env = { ...process.env, PYTHONPATH: [opts.src, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
    const py = pythonFor('cv2', 'import cv2, numpy', env);
    if (py) {
      const r = tryPython(py, env, `source ${opts.src}, ${py}`);
      if (typeof r !== 'string') return r;
      reasons.push(r);
    } else reasons.push('no Python with OpenCV for the source checkout (Debian: apt-get install python3-opencv)');
  }
  return { missing: reasons.join('; ') || 'not found' };
}

const PSD_SCRIPT =
  'import json, sys\nfrom scenedetect import detect, ContentDetector\n' +
  'scenes = detect(sys.argv[1], ContentDetector())\n' +
  'print(json.dumps([s[0].get_frames() for s in scenes[1:]]))';

function cutsFromCli(jsonFile: string): number[] {
  const a = JSON.parse(readFileSync(jsonFile, 'utf8')) as { sceneCuts: Array<{ frame: number }> };
  return a.sceneCuts.map((c) => c.frame);
}

const APP_JOB_CHILD = `
import path from 'node:path';
import { Engine } from ${JSON.stringify(path.join(root, 'out/core/api/engine.js'))};
const [clip, dir] = process.argv.slice(2);
const engine = new Engine({ libraryFile: path.join(dir, 'library.sqlite'), transport: 'direct', mediaUrl: (id) => '/media/' + id });
const { clip: c } = await engine.importIntoNewProject({ path: clip, kind: 'clip' });
const t0 = performance.now();
await engine.waitForJob((await engine.analyze({ clipId: c.id })).jobId);
const sec = (performance.now() - t0) / 1000;
await engine.close();
console.log('@@job ' + sec);
`;

function fmt(r: Run | null): string {
  if (!r) return '—'.padEnd(44);
  const cpu = r.cpuSec === null ? '' : `, cpu ${r.cpuSec.toFixed(1)} s`;
  const rss = r.rssMB === null ? '' : `, peak RSS ${r.rssMB.toFixed(0)} MB`;
  return `${r.wallSec.toFixed(2)} s${cpu}${rss}`.padEnd(44);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clips: { type: 'string', default: '60s,testvideo' },
      repeat: { type: 'string', default: '3' },
      'scenedetect-python': { type: 'string' },
      'scenedetect-src': { type: 'string' },
      child: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.child) {
    const t0 = performance.now();
    await analyzeVideo(values.child);
    console.log(`@@inproc ${(performance.now() - t0) / 1000}`);
    return;
  }
  const repeat = Math.max(1, Number(values.repeat));
  const clips: Array<{ name: string; file: string }> = [];
  for (const c of values.clips.split(',')) {
    if (c === '60s') clips.push({ name: '60 s 1280×720 30 fps', file: await benchClip(1280, 720, 60, 30) });
    else if (c === '600s') clips.push({ name: '600 s 1920×1080 30 fps', file: await benchClip(1920, 1080, 600, 30) });
    else if (c === 'testvideo') clips.push({ name: 'testvideo.mp4 (24 s 720p)', file: testVideo });
    else clips.push({ name: path.basename(c), file: path.resolve(c) });
  }
  // The CLI and the app job run the JavaScript build, as a user's install does.
  execFileSync(process.execPath, [path.join(root, 'scripts/build-app.js')], { stdio: 'inherit' });
  const psd = findSceneDetect({ python: values['scenedetect-python'], src: values['scenedetect-src'] });
  const ffmpeg = resolveBinary('ffmpeg');
  const ffVersion = execFileSync(ffmpeg.path, ['-version'], { encoding: 'utf8' }).split('\n')[0];
  console.log(`v2m bench/analyze — ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, best of ${repeat}`);
  console.log(`ffmpeg: ${ffmpeg.path} (${ffmpeg.source}) ${ffVersion}`);
  console.log('missing' in psd ? `PySceneDetect: not available — ${psd.missing}; its ratios are skipped` : `${psd.label}`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-bench-analyze-'));
  // A file, not --eval: the job's worker thread would inherit --input-type and refuse to start.
  const appChild = path.join(tmp, 'app-job.mjs');
  writeFileSync(appChild, APP_JOB_CHILD);
  try {
    for (const clip of clips) {
      const info = await probe(clip.file);
      const v = info.video!;
      const size = analysisSize(v.displayWidth, v.displayHeight);
      const runs = (f: () => Run) => best(Array.from({ length: repeat }, f));
      const json = path.join(tmp, 'a.json');
      const cli = runs(() => timed(process.execPath, [path.join(root, 'bin/v2m.js'), 'analyze', clip.file, '--json', json]));
      const ours = cutsFromCli(json);
      const app = runs(() => {
        const dir = mkdtempSync(path.join(tmp, 'app-'));
        const r = timed(process.execPath, [appChild, clip.file, dir]);
        rmSync(dir, { recursive: true, force: true });
        return { ...r, wallSec: Number(/@@job (\S+)/.exec(r.stdout)![1]) };
      });
      const dec = runs(() => timed(ffmpeg.path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', clip.file, '-an', '-vf', `scale=${size.width}:${size.height}`, '-f', 'null', '-']));
      const inproc = runs(() => {
        const r = timed(process.execPath, [path.join(root, 'bin/run-ts.js'), path.join(root, 'bench/analyze.ts'), '--child', clip.file]);
        return { ...r, wallSec: Number(/@@inproc (\S+)/.exec(r.stdout)![1]), cpuSec: null, rssMB: r.rssMB };
      });
      let ref: Run | null = null;
      let cutsNote = '';
      if (!('missing' in psd)) {
        ref = runs(() => timed(psd.python, ['-c', PSD_SCRIPT, clip.file], psd.env));
        const theirs = JSON.parse(ref.stdout.trim().split('\n').pop()!) as number[];
        const same = theirs.length === ours.length && theirs.every((f, i) => f === ours[i]);
        cutsNote = same ? `cuts identical (${ours.length})` : `CUTS DIFFER: ours [${ours.join(', ')}] vs PySceneDetect [${theirs.join(', ')}]`;
      }
      console.log(`\n${clip.name}: ${info.video!.frameCount} frames, analysis size ${size.width}×${size.height}${cutsNote ? `; ${cutsNote}` : ''}`);
      console.log(`  PySceneDetect      ${fmt(ref)}`);
      console.log(`  ffmpeg decode      ${fmt(dec)}`);
      console.log(`  v2m analyze (cli)  ${fmt(cli)}   ÷ PySceneDetect ${ref ? (cli.wallSec / ref.wallSec).toFixed(2) : '—'} (goal ≤ 0.5)   ÷ ffmpeg decode ${(cli.wallSec / dec.wallSec).toFixed(2)}`);
      console.log(`  app analysis job   ${fmt(app)}   ÷ PySceneDetect ${ref ? (app.wallSec / ref.wallSec).toFixed(2) : '—'}   ÷ ffmpeg decode ${(app.wallSec / dec.wallSec).toFixed(2)}`);
      console.log(`  in-process         ${fmt(inproc)}   ÷ ffmpeg decode ${(inproc.wallSec / dec.wallSec).toFixed(2)}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

mkdirSync(benchDir, { recursive: true });
await main();
