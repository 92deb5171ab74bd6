import { describe, expect, it } from 'vitest';
import { isAbsolutePath, pathsFromUriList } from './drop-paths.ts';
import { exportPath, folderOf } from './export-paths.ts';
import { describeJob, nextJobStatus, startedJob } from './job-status.ts';
import { readSyncReport } from './sync-report.ts';
import { formatSeconds, formatTimecode, frameAt } from './timecode.ts';
import { nextRate, stepFrames } from './transport.ts';

const ntsc = 30000 / 1001;

describe('timecode', () => {
  it('names the frame a time falls in, non-drop', () => {
    expect(formatTimecode(0, 25)).toBe('00:00:00');
    expect(formatTimecode(1.001, ntsc)).toBe('00:01:00');
    expect(formatTimecode(6.006, ntsc)).toBe('00:06:00');
    expect(formatTimecode(13.1465, ntsc)).toBe('00:13:04');
    expect(formatTimecode(1.9999, 25)).toBe('00:01:24');
    expect(formatTimecode(3725.5, 25)).toBe('1:02:05:12');
    expect(formatTimecode(2.0, ntsc, 'round')).toBe('00:02:00');
    expect(frameAt(6.006, ntsc)).toBe(180);
    expect(formatSeconds(13.146466)).toBe('13.146 s');
  });
});

describe('transport', () => {
  it('shuttles with J/K/L and toggles with space', () => {
    expect(nextRate(0, 'l')).toBe(1);
    expect(nextRate(1, 'l')).toBe(2);
    expect(nextRate(8, 'l')).toBe(8);
    expect(nextRate(2, 'j')).toBe(-1);
    expect(nextRate(-1, 'j')).toBe(-2);
    expect(nextRate(-4, 'k')).toBe(0);
    expect(nextRate(0, 'space')).toBe(1);
    expect(nextRate(-2, 'space')).toBe(0);
  });

  it('steps whole frames and stays inside the clip', () => {
    expect(stepFrames(1.001, 1, ntsc, 24)).toBeCloseTo(31 / ntsc, 12);
    expect(stepFrames(0, -1, 25, 24)).toBe(0);
    expect(stepFrames(23.99, 5, 25, 24)).toBe(599 / 25);
  });
});

describe('job status', () => {
  it('follows progress and ignores late events after the end', () => {
    let s = startedJob('j1', 'analyze');
    s = nextJobStatus(s, { type: 'progress', payload: { jobId: 'j1', kind: 'analyze', stage: 'decode-frames', fraction: 0.42 } });
    expect(describeJob(s)).toBe('Decode frames — 42 %');
    s = nextJobStatus(s, { type: 'progress', payload: { jobId: 'j1', kind: 'analyze', stage: 'decode-frames', fraction: 0.3 } });
    expect(s.fraction).toBe(0.42);
    s = nextJobStatus(s, { type: 'failed', payload: { jobId: 'j1', kind: 'analyze', cancelled: true, error: { name: 'AbortError', message: 'aborted' } } });
    expect(s.state).toBe('cancelled');
    expect(nextJobStatus(s, { type: 'done', payload: { jobId: 'j1', kind: 'analyze', result: null } }).state).toBe('cancelled');
    const f = nextJobStatus(undefined, { type: 'failed', payload: { jobId: 'j2', kind: 'export-mp4', cancelled: false, error: { name: 'Error', message: 'Disk full' } } });
    expect(describeJob(f)).toBe('Failed: Disk full');
  });
});

describe('import and export paths', () => {
  it('reads local paths from a drop and refuses remote ones', () => {
    expect(pathsFromUriList('# comment\r\nfile:///home/me/My%20Clip.mp4\r\nhttps://x.test/a.mp4\nfile://otherhost/x.mp4\n/tmp/b.mov')).toEqual(['/home/me/My Clip.mp4', '/tmp/b.mov']);
    expect(isAbsolutePath('/a')).toBe(true);
    expect(isAbsolutePath('C:\\v\\a.mp4')).toBe(true);
    expect(isAbsolutePath('a.mp4')).toBe(false);
  });

  it('names exports after the clip in the chosen folder', () => {
    expect(exportPath('/out/', '/v/My clip.mov', 'mp4')).toBe('/out/My clip-scored.mp4');
    expect(exportPath('D:\\out', 'D:\\v\\a.mp4', 'markers')).toBe('D:\\out\\a-accents.csv');
    expect(folderOf('/v/a.mp4')).toBe('/v');
  });
});

describe('sync report', () => {
  it('reads hit rate, misses and onsets, and ignores what it does not know', () => {
    const s = readSyncReport({
      hitRate: 0.5, hits: 1, tempo: 120, onsetF: { fMeasure: 0.4, precision: 0.5, recall: 0.3 },
      accents: [{ time: 2, strength: 1, hit: false, nearestOnset: 2.3, offset: 0.3 }, { time: 1, strength: 1, hit: true, nearestOnset: 1.01, offset: 0.01 }, 'junk'],
    });
    expect(s).toEqual({ hitRate: 0.5, hits: 1, accentCount: 2, missedAccents: [2], onsets: [1.01, 2.3], onsetF: 0.4, tempo: 120 });
    expect(readSyncReport(null)).toBeNull();
    expect(readSyncReport({})!.hitRate).toBeNull();
  });
});
