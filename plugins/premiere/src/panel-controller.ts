import type { PanelPlacement } from '../../../electron/shared/panel-protocol.ts';
import type { AppConnection, TokenStore } from './app-connection.ts';
import type { PremiereHost } from './host-types.ts';
import { placeMusic, type PlaceResult } from './place-music.ts';
import { activeSequence, readSequence } from './read-sequence.ts';

// The two buttons. Which app clip a sequence became is remembered per sequence guid, so
// "Place music" works after the panel or Premiere restarts.

const clipKey = (guid: string): string => `v2m.clip.${guid}`;

export class PanelController {
  constructor(private readonly ppro: PremiereHost, private readonly app: AppConnection, private readonly store: TokenStore) {}

  /** Sends the active sequence; resolves when the app has analysed it. */
  async sendSequence(onStage: (text: string) => void = () => {}): Promise<{ clipId: string; warnings: string[] }> {
    const seq = await activeSequence(this.ppro);
    const sequence = await readSequence(this.ppro, seq);
    onStage(`Sending "${sequence.name}" (${sequence.videoClips.length} clips, ${sequence.markers.length} markers)…`);
    const opened = await this.app.request('openSequence', { sequence });
    this.store.setItem(clipKey(seq.guid.toString()), opened.clipId);
    await this.app.waitForJob(opened.jobId, (s) => onStage(`V2M Studio: ${s.stage} ${Math.round(s.fraction * 100)}%`));
    onStage(`"${sequence.name}" is open in V2M Studio: shape the rhythm and generate there, then press Place music.`);
    return { clipId: opened.clipId, warnings: opened.warnings };
  }

  /** Starts the built-in composer for the sent sequence and waits for it. */
  async generate(onStage: (text: string) => void = () => {}): Promise<string> {
    const clipId = await this.sentClip();
    const { jobId } = await this.app.request('generate', { clipId });
    const done = await this.app.waitForJob(jobId, (s) => onStage(`Composing: ${s.stage} ${Math.round(s.fraction * 100)}%`));
    return done.generationId ?? '';
  }

  async placeMusic(generationId?: string): Promise<PlaceResult & { placement: PanelPlacement }> {
    const clipId = await this.sentClip();
    const placement = await this.app.request('placement', { clipId, ...(generationId ? { generationId } : {}) });
    const project = await this.ppro.Project.getActiveProject();
    if (!project) throw new Error('No Premiere Pro project is open.');
    const seq = await activeSequence(this.ppro);
    return { ...(await placeMusic(this.ppro, project, seq, placement)), placement };
  }

  private async sentClip(): Promise<string> {
    const seq = await activeSequence(this.ppro);
    const clipId = this.store.getItem(clipKey(seq.guid.toString()));
    if (!clipId) throw new Error(`Sequence "${seq.name}" has not been sent to V2M Studio yet: press Send sequence first.`);
    return clipId;
  }
}
