import { describe, expect, it } from 'vitest';
import { isAbsolutePath, pathsFromUriList } from './drop-paths.ts';
import { exportPath, folderOf } from './export-paths.ts';
import { describeJob, nextJobStatus, startedJob } from './job-status.ts';
import { readSyncReport } from './sync-report.ts';
import { formatSeconds } from './timecode.ts';

describe('seconds label', () => {
  it('keeps milliseconds', () => expect(formatSeconds(13.146466)).toBe('13.146 s'));
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
    expect(s).toMatchObject({ hitRate: 0.5, hits: 1, accentCount: 2, missedAccents: [2], onsets: [1.01, 2.3], onsetF: 0.4, tempo: 120 });
    expect(readSyncReport(null)).toBeNull();
    expect(readSyncReport({})!.hitRate).toBeNull();
  });
});
