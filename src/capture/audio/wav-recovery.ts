import { chmodSync, closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { findDataChunk } from './wav-header.js';

/**
 * Repairs a WAV segment left by a process that died while writing it: the
 * header on disk is up to one sync old, but every whole frame after it is
 * good. Sets the sizes to the frames present and cuts a partial last sample.
 * A segment that was closed (read-only, its header whole) is only read; one
 * that is read-only and still needs repair (changed after it was closed: its
 * chain entry tells) is repaired and made read-only again, so what was
 * recorded is still finalized.
 */
export function repairWav(path: string, bitDepth: 16 | 24): { frames: number; bytes: number } {
  const plan = planRepair(path, bitDepth);
  if (plan.writes.length === 0 && plan.truncateTo === undefined) return plan.result;
  const mode = statSync(path).mode & 0o777;
  const readOnly = (mode & 0o200) === 0;
  if (readOnly) chmodSync(path, mode | 0o200);
  try {
    const fd = openSync(path, 'r+');
    try {
      if (plan.truncateTo !== undefined) ftruncateSync(fd, plan.truncateTo);
      for (const w of plan.writes) writeSync(fd, w.bytes, 0, w.bytes.length, w.at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } finally {
    if (readOnly) chmodSync(path, mode);
  }
  return plan.result;
}

interface RepairPlan { result: { frames: number; bytes: number }; truncateTo: number | undefined; writes: { at: number; bytes: Buffer }[] }

/** What the file's sizes should be, and the writes that make them so (none for a whole file). */
function planRepair(path: string, bitDepth: 16 | 24): RepairPlan {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, head, 0, head.length, 0);
    const off = findDataChunk(head);
    if (off < 0) throw new Error(`${path} is not a WAV file with a data chunk`);
    const dataOffset = off + 8;
    const bps = bitDepth / 8;
    const dataBytes = Math.max(0, Math.floor((size - dataOffset) / bps) * bps);
    const pad = dataBytes % 2;
    const bytes = dataOffset + dataBytes + pad;
    const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n, 0); return b; };
    const writes: RepairPlan['writes'] = [];
    if (head.readUInt32LE(off + 4) !== dataBytes) writes.push({ at: off + 4, bytes: u32(dataBytes) });
    if (head.readUInt32LE(4) !== bytes - 8) writes.push({ at: 4, bytes: u32(bytes - 8) });
    // a partial last sample is cut; the pad byte after odd data is written (a zero, as the writer writes it)
    const wholeEnd = dataOffset + dataBytes;
    let truncateTo: number | undefined;
    if (size !== bytes) {
      truncateTo = wholeEnd;
      if (pad) writes.push({ at: wholeEnd, bytes: Buffer.alloc(1) });
    }
    return { result: { frames: dataBytes / bps, bytes }, truncateTo, writes };
  } finally {
    closeSync(fd);
  }
}
