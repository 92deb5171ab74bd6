import type { Action } from '@adobe/premierepro';
import type {
  HostAudioTrackItem, HostClipProjectItem, HostCompoundAction, HostFolderItem, HostMarker, HostMarkers, HostProject,
  HostProjectItem, HostSequence, HostTickTime, HostVideoTrackItem, PremiereHost,
} from '../../plugins/premiere/src/host-types.ts';

// A fake of the `premierepro` surface the panel uses (typed by the same Adobe-derived types),
// with Premiere's rules that matter here: edits only through actions, actions only inside
// executeTransaction, transactions only inside lockedAccess; each transaction is one undo step.

const TICKS = 254_016_000_000n;
const tick = (ticks: bigint | string): HostTickTime => ({ ticks: String(ticks), seconds: Number(BigInt(ticks)) / Number(TICKS) });
const TYPE_CLIP = 1;
const TYPE_BIN = 2;
const COLORS = { GREEN: 0, RED: 1, MAGNETA: 2, ORANGE: 3, YELLOW: 4, BLUE: 5, CYAN: 6 } as const;

interface FakeAction {
  run(): void;
}
const act = (run: () => void): Action => ({ run } as FakeAction as unknown as Action);

export interface FakeClipSpec {
  name: string;
  mediaPath: string;
  offline?: boolean;
  track?: number;
  recordIn: number;
  recordOut: number;
  sourceIn: number;
  disabled?: boolean;
}

export class FakeMarker implements HostMarker {
  colorIndex = 0;
  constructor(public start: bigint, public duration: bigint, public name: string, public comments: string) {}
  getName(): string { return this.name; }
  getComments(): string { return this.comments; }
  getColorIndex(): number { return this.colorIndex; }
  getStart(): HostTickTime { return tick(this.start); }
  getDuration(): HostTickTime { return tick(this.duration); }
  createSetColorByIndexAction(colorIndex: number): Action { return act(() => { this.colorIndex = colorIndex; }); }
}

class FakeProjectItem implements HostProjectItem, HostClipProjectItem {
  constructor(public name: string, public type: number, public path: string, public offline = false) {}
  async getMediaFilePath(): Promise<string> { return this.path; }
  async isOffline(): Promise<boolean> { return this.offline; }
}

class FakeTrackItem implements HostVideoTrackItem, HostAudioTrackItem {
  constructor(public item: FakeProjectItem, public start: bigint, public end: bigint, public inPoint: bigint, public disabled = false) {}
  async getName(): Promise<string> { return this.item.name; }
  async isDisabled(): Promise<boolean> { return this.disabled; }
  async getStartTime(): Promise<HostTickTime> { return tick(this.start); }
  async getEndTime(): Promise<HostTickTime> { return tick(this.end); }
  async getInPoint(): Promise<HostTickTime> { return tick(this.inPoint); }
  async getOutPoint(): Promise<HostTickTime> { return tick(this.inPoint + this.end - this.start); }
  async getProjectItem(): Promise<HostProjectItem> { return this.item; }
}

export class FakeSequence implements HostSequence {
  readonly guid = { toString: () => `seq-${this.name}` };
  videoTracks: FakeTrackItem[][] = [[]];
  audioTracks: FakeTrackItem[][] = [[]];
  markers: FakeMarker[] = [];
  constructor(readonly name: string, readonly ticksPerFrame: bigint, readonly durationFrames: number) {}
  async getTimebase(): Promise<string> { return String(this.ticksPerFrame); }
  async getEndTime(): Promise<HostTickTime> { return tick(BigInt(this.durationFrames) * this.ticksPerFrame); }
  async getZeroPoint(): Promise<HostTickTime> { return tick(0n); }
  async getVideoTrackCount(): Promise<number> { return this.videoTracks.length; }
  async getAudioTrackCount(): Promise<number> { return this.audioTracks.length; }
  async getVideoTrack(i: number) { return { getTrackItems: () => [...(this.videoTracks[i] ?? [])] }; }
  async getAudioTrack(i: number) { return { getTrackItems: () => [...(this.audioTracks[i] ?? [])] }; }
}

export class FakeProject implements HostProject {
  readonly name = 'Fake project';
  items: FakeProjectItem[] = [];
  undoStack: string[] = [];
  sequence: FakeSequence | null = null;
  /** Files Premiere "cannot import" (e.g. unreadable). */
  refuseImport = false;
  private locked = false;
  private inTransaction = false;
  async getActiveSequence(): Promise<HostSequence | null> { return this.sequence; }
  async getRootItem(): Promise<HostFolderItem> { return { getItems: async () => [...this.items] }; }
  async importFiles(filePaths: string[]): Promise<boolean> {
    if (this.refuseImport) return false;
    for (const p of filePaths) this.items.push(new FakeProjectItem(p.split(/[\\/]/).pop()!, TYPE_CLIP, p));
    this.undoStack.push('Import');
    return true;
  }
  lockedAccess(callback: () => void): void {
    this.locked = true;
    try {
      callback();
    } finally {
      this.locked = false;
    }
  }
  executeTransaction(callback: (compoundAction: HostCompoundAction) => void, undoString?: string): boolean {
    if (!this.locked) throw new Error('executeTransaction outside lockedAccess');
    const actions: FakeAction[] = [];
    this.inTransaction = true;
    try {
      callback({ addAction: (a) => (actions.push(a as unknown as FakeAction), true) });
    } finally {
      this.inTransaction = false;
    }
    for (const a of actions) a.run();
    this.undoStack.push(undoString ?? 'Edit');
    return true;
  }
  assertInTransaction(): void {
    if (!this.inTransaction) throw new Error('an action was created outside executeTransaction');
  }
}

/** Builds a fake `premierepro` module around one project with one active sequence. */
export function fakePremiere(opts: { ticksPerFrame: bigint; durationFrames: number; clips: FakeClipSpec[]; markers?: Array<{ frame: number; name: string; note?: string }> }) {
  const project = new FakeProject();
  const seq = new FakeSequence('Edit 1', opts.ticksPerFrame, opts.durationFrames);
  project.sequence = seq;
  const tpf = opts.ticksPerFrame;
  for (const c of opts.clips) {
    let item = project.items.find((i) => i.path === c.mediaPath);
    if (!item) project.items.push((item = new FakeProjectItem(c.name, TYPE_CLIP, c.mediaPath, c.offline ?? false)));
    const t = c.track ?? 0;
    while (seq.videoTracks.length <= t) seq.videoTracks.push([]);
    seq.videoTracks[t]!.push(new FakeTrackItem(item, BigInt(c.recordIn) * tpf, BigInt(c.recordOut) * tpf, BigInt(c.sourceIn) * tpf, c.disabled ?? false));
  }
  for (const m of opts.markers ?? []) seq.markers.push(new FakeMarker(BigInt(m.frame) * tpf, 0n, m.name, m.note ?? ''));

  const markersOf = (): HostMarkers => ({
    getMarkers: () => [...seq.markers],
    createAddMarkerAction: (name, _type, start, duration, comments) => {
      project.assertInTransaction();
      return act(() => { seq.markers.push(new FakeMarker(BigInt(start?.ticks ?? '0'), BigInt(duration?.ticks ?? '0'), name, comments ?? '')); });
    },
    createRemoveMarkerAction: (marker) => {
      project.assertInTransaction();
      return act(() => { seq.markers = seq.markers.filter((m) => m !== marker); });
    },
  });

  const ppro: PremiereHost = {
    Project: { getActiveProject: async () => project },
    ProjectItem: { TYPE_BIN, TYPE_CLIP },
    ClipProjectItem: { cast: (i) => (i.type === TYPE_CLIP ? (i as FakeProjectItem) : null) },
    FolderItem: { cast: () => null },
    Markers: { getMarkers: async () => markersOf() },
    Marker: { MARKER_TYPE_COMMENT: 'Comment' },
    TickTime: { createWithTicks: (t) => tick(t), TIME_ZERO: tick(0n) },
    SequenceEditor: {
      getEditor: () => ({
        createOverwriteItemAction: (projectItem, time, _v, audioTrackIndex) => {
          project.assertInTransaction();
          return act(() => {
            const item = projectItem as FakeProjectItem;
            while (seq.audioTracks.length <= audioTrackIndex) seq.audioTracks.push([]);
            seq.audioTracks[audioTrackIndex]!.push(new FakeTrackItem(item, BigInt(time.ticks), BigInt(time.ticks) + BigInt(seq.durationFrames) * tpf, 0n));
          });
        },
      }),
    },
    Constants: { TrackItemType: { CLIP: 1 as never }, MarkerColor: COLORS as never },
  };
  return { ppro, project, seq };
}

export const memoryStore = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};
