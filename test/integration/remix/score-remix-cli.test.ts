import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probe } from '../../../electron/core/media/index.ts';
import { analyzeTrack, loadTrack } from '../../../electron/core/remix/index.ts';
import { runV2m } from '../../helpers/cli.ts';
import { sharedData, testVideo } from '../../helpers/paths.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'v2m-score-remix-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const rag = path.join(sharedData, 'music', '442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg');

describe('v2m score <clip> --generator remix --music <track>', () => {
  it('scores testvideo.mp4 with the piano rag re-arranged onto its cuts; the report lists seams, downbeat shares and the sync', async () => {
    const out = path.join(tmp, 's.mp4'), reportFile = path.join(tmp, 'r.json');
    const t0 = performance.now();
    const r = await runV2m(['score', testVideo, '--generator', 'remix', '--music', rag, '-o', out, '--report', reportFile], { timeoutMs: 300_000 });
    const wallSec = (performance.now() - t0) / 1000;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/remix\s+.*pistachio.*BPM, \d beats a bar/);
    expect(r.stdout).toMatch(/seams\s+\d+ \(similarity/);
    expect(r.stdout).toMatch(/cuts\s+3: \d+ % on a downbeat.*\(unaimed remix: \d+ %/);

    const [src, dst] = [await probe(testVideo), await probe(out)];
    expect(dst.video!.frameCount).toBe(src.video!.frameCount);
    expect(dst.audio!.codec).toBe('aac');
    expect(Math.abs(dst.audio!.durationSec! - src.video!.durationSec)).toBeLessThan(0.05);

    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report.composition).toBeNull();
    const m = report.remix;
    const ta = analyzeTrack((await loadTrack(rag)).mono, 44100);
    const beats = new Set(ta.beats);
    expect(m.seams.length).toBeGreaterThan(0);
    for (const s of m.seams) {
      expect(Object.keys(s).sort()).toEqual(['flux', 'fromSrcSec', 'outSec', 'similarity', 'toSrcSec']);
      expect(beats.has(s.fromSrcSec) && beats.has(s.toSrcSec)).toBe(true);
      expect(s.outSec).toBeGreaterThan(0);
      expect(s.outSec).toBeLessThan(src.video!.durationSec);
      expect(s.flux).toBeLessThanOrEqual(m.beatFluxP95);
    }
    // The plan's cuts (frames 30, 180, 394): both shares are reported, the aimed one higher.
    expect(m.cuts.aimed.count).toBe(3);
    expect(m.cutsOnDownbeats).toBe(m.cuts.aimed.onDownbeat);
    expect(m.cutsOnDownbeatsUnaimed).toBe(m.cuts.unaimed.onDownbeat);
    expect(m.cutsOnDownbeats).toBeGreaterThan(m.cutsOnDownbeatsUnaimed);
    // Sync against the plan and mastering, as for the other generators.
    expect(report.sync.strongAccents).toBeGreaterThanOrEqual(3);
    expect(report.sync.hitRate).toBeGreaterThanOrEqual(0);
    expect(Math.abs(report.loudness.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(report.loudness.ffmpeg.truePeakDbtp).toBeLessThanOrEqual(-1);
    console.info(`[score-remix] testvideo.mp4 (${src.video!.durationSec.toFixed(2)} s) + rag: ${m.seams.length} seams, cuts on downbeats ${(m.cutsOnDownbeats * 100).toFixed(0)} % aimed vs ${(m.cutsOnDownbeatsUnaimed * 100).toFixed(0)} % unaimed, ` +
      `strong accents hit ${(report.sync.hitRate * 100).toFixed(0)} %, remix ${m.timings.totalSec.toFixed(2)} s (${(m.timings.totalSec / src.video!.durationSec).toFixed(3)} × clip), whole command ${wallSec.toFixed(1)} s`);
  }, 320_000);
});
