import type {
  Action, AudioClipTrackItem, ClipProjectItem, Constants, Marker, MarkerStatic, Project, ProjectItem, Sequence,
  TickTime, VideoClipTrackItem, premierepro,
} from '@adobe/premierepro';

// The part of Premiere Pro's UXP `premierepro` module this panel uses, cut from Adobe's own
// published types (Pick keeps their exact signatures; object results are narrowed to the parts
// used). `RealModuleFits` below makes the compiler prove that the real module satisfies this
// surface, and the test fake implements the same surface, so the fake cannot drift from Adobe's API.

export type HostTickTime = Pick<TickTime, 'ticks' | 'seconds'>;

export type HostMarker = Pick<Marker, 'getName' | 'getComments' | 'getColorIndex' | 'createSetColorByIndexAction'> & {
  getStart(): HostTickTime;
  getDuration(): HostTickTime;
};

export interface HostMarkers {
  getMarkers(filters?: string[]): HostMarker[];
  createAddMarkerAction(name: string, markerType?: string, startTime?: HostTickTime, duration?: HostTickTime, comments?: string): Action;
  createRemoveMarkerAction(marker: HostMarker): Action;
}

export type HostProjectItem = Pick<ProjectItem, 'name' | 'type'>;
export type HostClipProjectItem = Pick<ClipProjectItem, 'getMediaFilePath' | 'isOffline' | 'name'>;

type TrackItemTimes = {
  getStartTime(): Promise<HostTickTime>;
  getEndTime(): Promise<HostTickTime>;
  getInPoint(): Promise<HostTickTime>;
  getOutPoint(): Promise<HostTickTime>;
  getProjectItem(): Promise<HostProjectItem>;
};
export type HostVideoTrackItem = Pick<VideoClipTrackItem, 'getName' | 'isDisabled'> & TrackItemTimes;
export type HostAudioTrackItem = Pick<AudioClipTrackItem, 'getName'> & TrackItemTimes;

export interface HostVideoTrack {
  getTrackItems(trackItemType: Constants.TrackItemType, includeEmptyTrackItems: boolean): HostVideoTrackItem[];
}
export interface HostAudioTrack {
  getTrackItems(trackItemType: Constants.TrackItemType, includeEmptyTrackItems: boolean): HostAudioTrackItem[];
}

export type HostSequence = Pick<Sequence, 'name' | 'getTimebase' | 'getVideoTrackCount' | 'getAudioTrackCount'> & {
  readonly guid: { toString(): string };
  getEndTime(): Promise<HostTickTime>;
  getZeroPoint(): Promise<HostTickTime>;
  getVideoTrack(trackIndex: number): Promise<HostVideoTrack>;
  getAudioTrack(trackIndex: number): Promise<HostAudioTrack>;
};

export interface HostFolderItem {
  getItems(): Promise<HostProjectItem[]>;
}

export interface HostCompoundAction {
  addAction(action: Action): boolean;
}

export type HostProject = Pick<Project, 'name' | 'importFiles' | 'lockedAccess'> & {
  getActiveSequence(): Promise<HostSequence | null>;
  getRootItem(): Promise<HostFolderItem>;
  executeTransaction(callback: (compoundAction: HostCompoundAction) => void, undoString?: string): boolean;
};

export interface HostSequenceEditor {
  createOverwriteItemAction(projectItem: HostProjectItem, time: HostTickTime, videoTrackIndex: number, audioTrackIndex: number): Action;
}

/** The `premierepro` module as this panel sees it. */
export interface PremiereHost {
  Project: { getActiveProject(): Promise<HostProject | null> };
  ProjectItem: { readonly TYPE_BIN: number; readonly TYPE_CLIP: number };
  ClipProjectItem: { cast(projectItem: HostProjectItem): HostClipProjectItem | null };
  FolderItem: { cast(projectItem: HostProjectItem): HostFolderItem | null };
  Markers: { getMarkers(markerOwnerObject: HostSequence | HostClipProjectItem): Promise<HostMarkers> };
  Marker: Pick<MarkerStatic, 'MARKER_TYPE_COMMENT'>;
  TickTime: { createWithTicks(ticks: string): HostTickTime; readonly TIME_ZERO: HostTickTime };
  SequenceEditor: { getEditor(sequenceObject: HostSequence): HostSequenceEditor };
  Constants: {
    TrackItemType: Pick<typeof Constants.TrackItemType, 'CLIP'>;
    MarkerColor: typeof Constants.MarkerColor;
  };
}

/** Compile-time proof that Adobe's published module satisfies the surface above. */
export type RealModuleFits = premierepro extends PremiereHost ? true : false;
export const realModuleFits: RealModuleFits = true;
