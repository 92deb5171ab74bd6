import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTimelineText, readTimelineFile, TimelineReadError } from '../../../electron/core/timeline/index.ts';
import { sharedData } from '../../helpers/paths.ts';

const FCPXML_OK = `<?xml version="1.0"?>
<fcpxml version="1.10">
  <resources>
    <format id="r1" frameDuration="1001/30000s"/>
    <asset id="r2" name="a" start="0s" duration="100s" hasVideo="1" format="r1"><media-rep kind="original-media" src="file:///m/a.mov"/></asset>
  </resources>
  <library><event name="e"><project name="p">
    <sequence format="r1" duration="3003/1000s" tcStart="3600/1s" tcFormat="DF">
      <spine>
        <asset-clip ref="r2" offset="3600s" duration="1001/1000s" name="one"/>
        <wobble offset="0s"/>
        <asset-clip ref="r2" offset="3601001/1000s" duration="2002/1000s" start="10s" name="two"><marker start="10s" duration="1001/30000s" value="hit" note="v2m:accent:0.80"/></asset-clip>
      </spine>
    </sequence>
  </project></event></library>
</fcpxml>`;

function thrown(fn: () => unknown): TimelineReadError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TimelineReadError);
    return err as TimelineReadError;
  }
  throw new Error('expected a TimelineReadError');
}

describe('timeline readers: bad input gets a message naming file, element and line', () => {
  it('empty file', () => {
    expect(thrown(() => parseTimelineText('  \n', 'cut.fcpxml')).message).toBe('cut.fcpxml is empty.');
  });
  it('wrong root element', () => {
    const e = thrown(() => parseTimelineText('<?xml version="1.0"?>\n<html><body/></html>', 'seq.xml'));
    expect(e.message).toMatch(/seq\.xml.*root element is <html> at line 2, not <xmeml>/);
    expect(e.line).toBe(2);
    expect(thrown(() => parseTimelineText('<?xml version="1.0"?>\n<svg/>', 'seq.fcpxml')).message).toMatch(/root element is <svg>.*not <fcpxml>/);
  });
  it('truncated XML', () => {
    const e = thrown(() => parseTimelineText(FCPXML_OK.slice(0, FCPXML_OK.indexOf('</spine>')), 'cut.fcpxml'));
    expect(e.message).toMatch(/cut\.fcpxml ends at line 12 while <spine> \(inside <fcpxml> <library> <event> <project> <sequence>\) is still open/);
    expect(thrown(() => parseTimelineText('<xmeml>\n<sequence></xmeml>', 'm.xml')).message).toMatch(/m\.xml is not well-formed XML \(line 2.*closing tag/);
    expect(e.message).toMatch(/truncated/);
    expect(e.line).toBeGreaterThan(1);
  });
  it('FCPXML with an unknown or too new version', () => {
    expect(thrown(() => parseTimelineText(FCPXML_OK.replace('1.10', 'banana'), 'v.fcpxml')).message).toMatch(/v\.fcpxml: <fcpxml> at line 2 has version "banana"/);
    expect(thrown(() => parseTimelineText(FCPXML_OK.replace('1.10', '1.12'), 'v.fcpxml')).message).toMatch(/1\.12.*newer than this reader knows \(1\.8–1\.11\)/);
  });
  it('FCPXML bad time value names element and line', () => {
    const e = thrown(() => parseTimelineText(FCPXML_OK.replace('duration="1001/1000s" name="one"', 'duration="1.001" name="one"'), 't.fcpxml'));
    expect(e.message).toMatch(/<asset-clip> at line 10 has duration="1\.001"/);
  });
  it('EDL with a timecode going backwards', () => {
    const edl = 'TITLE: x\n\n001  AX V  C  01:00:00:00 01:00:01:00 01:00:05:00 01:00:04:00\n';
    const e = thrown(() => parseTimelineText(edl, 'b.edl'));
    expect(e.message).toBe('b.edl: event 001 at line 3 goes backwards: record out 01:00:04:00 is before record in 01:00:05:00.');
  });
  it('EDL event line without four timecodes, and a text that is no timeline', () => {
    expect(thrown(() => parseTimelineText('TITLE: x\n001  AX V  C  01:00:00:00 01:00:01:00\n', 'c.edl')).message).toMatch(/line 2 .* does not end in four timecodes/);
    expect(thrown(() => parseTimelineText('hello world', 'notes.txt')).message).toMatch(/not a timeline this app reads/);
    expect(thrown(() => parseTimelineText('{"OTIO_SCHEMA": "Clip.2"}', 'c.otio')).message).toMatch(/top-level OTIO_SCHEMA is "Clip.2", not Timeline.1/);
    expect(thrown(() => parseTimelineText('{"OTIO_SCHEMA": "Timeline.1",\n "tracks": ', 'c.otio')).message).toMatch(/c\.otio is not valid JSON/);
  });
  it('a drop-frame label that does not exist', () => {
    const edl = 'FCM: DROP FRAME\n001  AX V  C  00:01:00;00 00:01:01;00 00:01:00;00 00:01:01;00\n';
    expect(thrown(() => parseTimelineText(edl, 'df.edl', { rate: { num: 30000, den: 1001 } })).message).toMatch(/df\.edl: line 2: .*does not exist in drop-frame/);
  });
});

describe('timeline readers: what they do accept', () => {
  it('FCPXML 1.10 with media-rep, tcStart, DF, a marker in clip time and an unknown element (warning)', () => {
    const r = parseTimelineText(FCPXML_OK, 'ok.xml');
    expect(r.format).toBe('fcpxml');
    const t = r.timeline;
    expect(t).toMatchObject({ rate: { num: 30000, den: 1001 }, dropFrame: true, startFrame: 107892, durationFrames: 90 });
    expect(t.videoTracks[0]!.clips.map((c) => [c.name, c.recordIn, c.recordOut, c.sourceIn])).toEqual([['one', 0, 30, 0], ['two', 30, 90, 300]]);
    expect(t.markers).toEqual([{ frame: 30, durationFrames: 1, name: 'hit', note: '', color: 'purple', kind: 'accent', strength: 0.8 }]);
    expect(t.media[0]).toMatchObject({ path: '/m/a.mov', url: 'file:///m/a.mov' });
    expect(r.warnings).toEqual(['Skipped 1 <wobble> element this reader does not know (first at line 11).']);
  });
  it('several projects or sequences: the first is read, with a warning', () => {
    const two = FCPXML_OK.replace('</project></event>', '</project><project name="q"><sequence format="r1"><spine/></sequence></project></event>');
    expect(parseTimelineText(two, 'two.fcpxml').warnings).toEqual(['two.fcpxml holds 2 projects; read the first, "p". Export one project to choose another.', 'Skipped 1 <wobble> element this reader does not know (first at line 11).']);
    const seqs = '<xmeml version="4"><bin><children><sequence><name>A</name><rate><timebase>25</timebase></rate></sequence><sequence><name>B</name><rate><timebase>25</timebase></rate></sequence></children></bin></xmeml>';
    expect(parseTimelineText(seqs, 's.xml').warnings[0]).toBe('s.xml holds 2 sequences; read the first, "A". Export one sequence to choose another.');
  });
  it('a .fcpxmld bundle is read through its Info.fcpxml', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'v2m-tl-'));
    tmp.push(dir);
    const bundle = path.join(dir, 'Cut.fcpxmld');
    mkdirSync(bundle);
    copyFileSync(path.join(sharedData, 'timelines/fcpx_project.fcpxml'), path.join(bundle, 'Info.fcpxml'));
    const r = await readTimelineFile(bundle);
    expect(r.format).toBe('fcpxml');
    expect(r.timeline.name).toBe('OpenTimeline_Project');
    mkdirSync(path.join(dir, 'Empty.fcpxmld'));
    await expect(readTimelineFile(path.join(dir, 'Empty.fcpxmld'))).rejects.toThrow(/folder without Info\.fcpxml/);
    await expect(readTimelineFile(path.join(dir, 'nope.edl'))).rejects.toThrow(/does not exist/);
    writeFileSync(path.join(dir, 'x.fcpxml'), '');
    await expect(readTimelineFile(path.join(dir, 'x.fcpxml'))).rejects.toThrow(/is empty/);
  });
  it('Resolve marker EDL: one-frame events with |C: |M: |D: become markers, from the hour the sequence starts', () => {
    const edl = [
      'TITLE: Timeline 1', 'FCM: NON-DROP FRAME', '',
      '001  001      V     C        01:00:01:00 01:00:01:01 01:00:01:00 01:00:01:01  ',
      ' |C:ResolveColorBlue |M:Accent 0.82 |D:1',
      '002  001      V     C        01:00:02:12 01:00:02:13 01:00:02:12 01:00:02:13  ',
      ' |C:ResolveColorRed |M:my note |D:5',
    ].join('\n');
    const t = parseTimelineText(edl, 'm.edl', { rate: { num: 25, den: 1 } }).timeline;
    expect(t.startFrame).toBe(90000);
    expect(t.videoTracks).toEqual([]);
    expect(t.markers).toEqual([
      { frame: 25, durationFrames: 1, name: 'Accent 0.82', note: '', color: 'blue', kind: 'accent', strength: 0.82 },
      { frame: 62, durationFrames: 5, name: 'my note', note: '', color: 'red', kind: 'user' },
    ]);
  });
  it('EDL LOC lines, drop-frame and a dissolve', () => {
    const edl = [
      'TITLE: df', 'FCM: DROP FRAME',
      '001  A001 V  C        00:00:10;00 00:00:20;00 01:00:00;00 01:00:10;00',
      '002  A001 V  C        00:00:20;00 00:00:20;00 01:00:10;00 01:00:10;00',
      '002  B001 V  D 030    00:01:00;02 00:01:10;02 01:00:10;00 01:00:20;00',
      '* FROM CLIP NAME: b.mov',
      '* LOC: 01:00:12;10 YELLOW  Downbeat',
    ].join('\n');
    const t = parseTimelineText(edl, 'd.edl', { rate: { num: 30000, den: 1001 } }).timeline;
    expect(t.dropFrame).toBe(true);
    expect(t.videoTracks[0]!.clips.filter((c) => c.recordOut > c.recordIn).map((c) => [c.recordIn, c.recordOut])).toEqual([[0, 300], [300, 600]]);
    expect(t.markers[0]).toMatchObject({ frame: 370, color: 'yellow', kind: 'downbeat' });
  });
});

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));
