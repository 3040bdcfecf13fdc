/**
 * Runs `count` steps with at most `window` of them in flight, started in
 * order. SFTP is request/response: one request at a time waits a round trip
 * per chunk, many in flight fill the link (what OpenSSH's sftp does with its
 * 64 outstanding requests). Started in order, and OpenSSH's sftp-server
 * handling them in order, whatever a cut connection leaves on the server is
 * a prefix of the file. Each lane runs its steps one after the other, so a
 * step may reuse its lane's buffer. On the first error no new step starts; the ones in
 * flight are awaited, then the error is thrown.
 */
export async function pipelined(count: number, window: number, step: (i: number, lane: number) => Promise<void>, before?: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async (me: number): Promise<void> => {
    while (failure === undefined && next < count) {
      const i = next++;
      try {
        await before?.(i);
        if (failure === undefined) await step(i, me);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, (_, me) => lane(me)));
  if (failure !== undefined) throw failure;
}
