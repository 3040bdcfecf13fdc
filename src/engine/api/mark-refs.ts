import type { MarkView } from '../../shared/api/contract.js';

/**
 * The marks saved lately, by the name the window gave each (`ref`). A window
 * that lost the answer to a mark sends it again with the same name: it gets
 * the mark already saved, and the sitting gets no twin. Bounded: a window
 * retries within seconds, not hundreds of marks later.
 */
export class MarkRefs {
  private readonly byRef = new Map<string, { sittingId: number; mark: MarkView }>();

  constructor(private readonly keep = 1000) {}

  get(sittingId: number, ref: string | undefined): MarkView | undefined {
    const hit = ref === undefined ? undefined : this.byRef.get(ref);
    return hit?.sittingId === sittingId ? hit.mark : undefined;
  }

  remember(sittingId: number, ref: string | undefined, mark: MarkView): void {
    if (ref === undefined) return;
    this.byRef.set(ref, { sittingId, mark });
    if (this.byRef.size > this.keep) this.byRef.delete(this.byRef.keys().next().value!);
  }
}
