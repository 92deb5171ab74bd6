import type { V2mEventName, V2mEvents } from '../../shared/events.ts';

export type AnyEventListener = <E extends V2mEventName>(event: E, payload: V2mEvents[E]) => void;

/** Fan-out of engine events to every transport that is listening. */
export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends V2mEventName>(event: E, payload: V2mEvents[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (err) {
        // One broken transport must not stop the others from hearing about the job.
        console.error(`v2m: event listener failed on ${event}:`, err);
      }
    }
  }

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
