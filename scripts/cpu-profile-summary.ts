/**
 * Where a process's main thread spent its time, from V8's `.cpuprofile`
 * (`node --cpu-prof`), grouped into the capture process's parts of work.
 * Used by `bench:capture -- --profile`; also runnable on its own:
 *   tsx scripts/cpu-profile-summary.ts FILE.cpuprofile
 *
 * Each sample goes to the first part found walking up its stack from the
 * function that was running, so time inside `writeSync` called by the WAV
 * writer counts as "WAV file writes", not as naudiodon's stream plumbing
 * further up. Only the main thread is sampled: PortAudio's own thread and the
 * kernel's work for it are in the process's total, not here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const CallFrame = z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() });
const ProfileNode = z.object({ id: z.number(), callFrame: CallFrame, children: z.array(z.number()).optional() });
const CpuProfile = z.object({
  nodes: z.array(ProfileNode),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type Frame = z.infer<typeof CallFrame>;

/** The parts, tried in this order at each frame of a stack. */
const PARTS: [string, (f: Frame) => boolean][] = [
  ['split into tracks + meter figures', (f) => f.url.endsWith('/deinterleave.ts')],
  ['chain chunk hashes', (f) => f.url.endsWith('/data-chunks.ts')],
  ['WAV file writes and header syncs', (f) => f.url.endsWith('/wav-segment-writer.ts')],
  ['live mix pipe to ffmpeg', (f) => f.url.endsWith('/live-mixer.ts')],
  ['signal and clock guards', (f) => /\/(signal|clock)-guard\.ts$/.test(f.url)],
  ['messages to the engine (IPC)', (f) => f.url.includes('child_process') && /send|writeChannelMessage/i.test(f.functionName)],
  ['naudiodon read + stream plumbing', (f) => f.url.includes('/naudiodon/')],
  ['loading modules, listing devices', (f) => /esm\/|cjs\/|listDevices/.test(`${f.url} ${f.functionName}`)],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['other work outside JavaScript', (f) => f.functionName === '(program)'],
];

export interface ProfileSummary {
  /** Wall seconds the profile covers. */
  seconds: number;
  /** Main-thread CPU milliseconds per part (idle excluded), the largest first. */
  parts: [string, number][];
}

export function summarizeProfile(path: string): ProfileSummary {
  const p = CpuProfile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = partOf.get(id);
    if (known) return known;
    let name = 'other JavaScript';
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (frame.functionName === '(idle)') { name = 'idle'; break; }
      const hit = PARTS.find(([, match]) => match(frame));
      if (hit) { name = hit[0]; break; }
    }
    partOf.set(id, name);
    return name;
  };
  const ms = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const part = classify(id);
    if (part !== 'idle') ms.set(part, (ms.get(part) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return { seconds: (p.endTime - p.startTime) / 1e6, parts: [...ms].sort((a, b) => b[1] - a[1]) };
}

/** The parts as % of one core over `wallSeconds` (the measured stretch, when start-up is to be left out of the rate). */
export function printSummary(s: ProfileSummary, wallSeconds = s.seconds): void {
  for (const [part, ms] of s.parts) console.log(`    ${part.padEnd(36)} ${((ms / 1000 / wallSeconds) * 100).toFixed(2)} %`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx scripts/cpu-profile-summary.ts FILE.cpuprofile');
  const s = summarizeProfile(file);
  console.log(`${file}: ${s.seconds.toFixed(1)} s, main thread, % of one core over the whole profile`);
  printSummary(s);
}
