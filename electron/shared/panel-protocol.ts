// The protocol the editor panels (Premiere Pro UXP panel, Resolve scripts) speak to the app.
// Type-only, so the panels' bundles can share it with the server. Version 1.
//
// Transports: a WebSocket at ws://127.0.0.1:<port>/panel (UXP panels, which can only be clients)
// carrying `PanelRequest`/`PanelResponse` JSON text frames plus pushed `PanelPush` job events;
// and HTTP POST http://127.0.0.1:<port>/panel/v1/<op> with a JSON body and
// `Authorization: Bearer <token>` (Resolve's Lua, which can only shell out to curl).

export const PANEL_PROTOCOL_VERSION = 1;
/** The port the app tries first, so a UXP panel (which cannot read the discovery file) finds it. */
export const DEFAULT_PANEL_PORT = 47815;
/** Written to the app's data folder while the app runs: where panels find the port. */
export const PANEL_DISCOVERY_FILE = 'panel-bridge.json';

export interface PanelDiscovery {
  protocol: number;
  app: string;
  port: number;
  pid: number;
  /** HTTP base for scripts, e.g. http://127.0.0.1:41234/panel/v1 */
  httpBase: string;
  /** WebSocket URL for panels, e.g. ws://127.0.0.1:41234/panel */
  wsUrl: string;
  /** Where scripts may drop exported timelines for the app to read. */
  exchangeDir: string;
  startedAt: number;
}

/** A rational frame rate: 24000/1001, 25/1, … */
export interface PanelRate {
  num: number;
  den: number;
}

/** One clip on a video track, in frames of the sequence (record) and seconds of its source. */
export interface PanelClip {
  name: string;
  /** 0 = the bottom video track (V1). */
  track: number;
  /** Absolute path of the source media; '' when the editor has none (titles, generators). */
  mediaPath: string;
  /** The editor reports the media as offline (missing). */
  offline: boolean;
  enabled: boolean;
  recordIn: number;
  recordOut: number;
  sourceInSec: number;
  sourceOutSec: number;
}

export interface PanelSequenceMarker {
  frame: number;
  durationFrames: number;
  name: string;
  note: string;
}

/** What a panel sends for "Send sequence". Frames count from the sequence start (0). */
export interface PanelSequence {
  name: string;
  /** Which editor sent it: shown in the app and kept with the project. */
  editor: 'premiere' | 'resolve' | 'test';
  rate: PanelRate;
  dropFrame: boolean;
  durationFrames: number;
  videoClips: PanelClip[];
  markers: PanelSequenceMarker[];
  /** A rendered movie of the whole sequence, when the panel has one (used as the picture). */
  referenceMovie?: string;
}

export type PanelMarkerKind = 'cut' | 'edit' | 'accent' | 'visual-beat' | 'user' | 'downbeat';

/** A marker to place, in frames of the sequence; `id` goes into the editor's custom data. */
export interface PanelMarker {
  id: string;
  frame: number;
  durationFrames: number;
  name: string;
  note: string;
  kind: PanelMarkerKind;
  /** A colour name every editor maps to its own palette (blue, cyan, green, yellow, red, purple). */
  color: string;
}

export interface PanelPlacement {
  generationId: string;
  /** The WAV to import (absolute path on this machine). */
  musicPath: string;
  rate: PanelRate;
  /** Where the music starts, in sequence frames (0 = the sequence start). */
  startFrame: number;
  durationFrames: number;
  markers: PanelMarker[];
}

export interface PanelOpened {
  projectId: string;
  clipId: string;
  /** The analysis job; the plan (with the sequence's edits and markers) is ready when it is done. */
  jobId: string;
  warnings: string[];
}

export interface PanelJobState {
  jobId: string;
  state: 'running' | 'done' | 'failed';
  stage: string;
  fraction: number;
  error?: string;
  /** For a finished generation: its id. */
  generationId?: string;
}

/** Every operation: its input and its result. */
export interface PanelOps {
  pair: { input: { code: string; client: string }; result: { token: string } };
  /** WebSocket only: authenticates the connection with a token from `pair`. */
  auth: { input: { token: string }; result: PanelStatus };
  status: { input: Record<string, never>; result: PanelStatus };
  openSequence: { input: { sequence: PanelSequence }; result: PanelOpened };
  /** An exported FCP7 XML / FCPXML / EDL file (Resolve), opened like a sequence. */
  openTimelineFile: { input: { path: string; editor: PanelSequence['editor']; referenceMovie?: string }; result: PanelOpened };
  job: { input: { jobId: string }; result: PanelJobState };
  generate: { input: { clipId: string; seed?: number }; result: { jobId: string } };
  /** The latest (or the named) generation of the clip, ready to place. */
  placement: { input: { clipId: string; generationId?: string }; result: PanelPlacement };
}

export type PanelOp = keyof PanelOps;

export interface PanelStatus {
  app: string;
  version: string;
  protocol: number;
  client: string;
}

export interface PanelRequest<O extends PanelOp = PanelOp> {
  id: number;
  op: O;
  input: PanelOps[O]['input'];
}

export type PanelResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; code: string } };

export interface PanelPush {
  event: 'job:progress' | 'job:done' | 'job:failed';
  payload: PanelJobState;
}

/** Error codes a panel may react to (re-pair, relink, wait). */
export type PanelErrorCode =
  | 'NOT_PAIRED' | 'BAD_CODE' | 'PAIRING_LOCKED' | 'BAD_REQUEST' | 'UNKNOWN_OP' | 'OFFLINE_MEDIA'
  | 'NO_PICTURE' | 'NO_GENERATION' | 'NOT_FOUND' | 'BAD_TIMELINE' | 'FAILED';
