// ODF_LR (SIGNALS.md §2.10) of several segments of one recording, with the app's own rhythm
// analysis, in one node process (a `v2m rhythm` call per 30 s segment would start node and tsx
// each time). Each segment is analysed as its own clip, as the paper's 30 s clips were: the z-score
// and the peak picking see only that segment.
// usage: node odf_segments.mjs <request.json>
// request: {file: raw little-endian float32 mono PCM, sampleRate: 44100, segments: [[start, length], ...]}
//          (start and length in samples); prints {"odf": [[...], ...]} on stdout.
import fs from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { analyzeRhythm } = await import('../../electron/core/audio/index.ts');

const req = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
if (req.sampleRate !== 44100) throw new Error(`ODF_LR is defined at 44100 Hz, got ${req.sampleRate}`);
const buf = fs.readFileSync(req.file);
const mono = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
const odf = [];
for (const [start, length] of req.segments) {
  if (start < 0 || start + length > mono.length) {
    throw new Error(`segment [${start}, ${start + length}) is outside the ${mono.length}-sample recording`);
  }
  const a = analyzeRhythm(mono.slice(start, start + length), { sampleRate: 44100, melLR: false, temLR: false });
  odf.push(Array.from(a.odfLR));
}
process.stdout.write(JSON.stringify({ odf }));
