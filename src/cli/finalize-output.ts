import type { FinalizeProgress, FinalizeResult } from '../engine/finalize/finalize.js';

/** Progress on stderr: one line that rewrites itself in a terminal, plain lines otherwise. */
export function showProgress(p: FinalizeProgress): void {
  const eta = p.etaMs !== undefined ? `, ${Math.ceil(p.etaMs / 1000)} s left` : '';
  const line = `finalizing: ${p.step} ${p.percent}%${eta}`;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(60)}${p.step === 'done' ? '\n' : ''}` : `${line}\n`);
}

export async function reportFinalized(r: FinalizeResult, waitForCheck: boolean): Promise<void> {
  process.stderr.write(r.alreadyFinalized ? `already finalized: nothing changed\n`
    : `${r.manifest.files.length} files ready${r.liveMix ? '' : ' (the mix was made from the microphone files)'}\n`);
  for (const f of r.manifest.files) process.stderr.write(`  ${f.name}  ${f.bytes} bytes  md5 ${f.md5}\n`);
  if (waitForCheck) {
    const v = await r.verified;
    process.stderr.write(v.ok ? 'read-back check: every file matches its MD5 and SHA-256\n' : `read-back check FAILED for: ${v.mismatched.join(', ')}\n`);
    if (!v.ok) process.exitCode = 3;
  }
}
