import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AbkError, appError } from '../../shared/result.js';

/**
 * xorriso, the one tool that makes ISO images and burns them on Linux, with
 * argument arrays (never a shell). An image is Joliet + Rock Ridge with
 * xorriso's own MD5 of every file (`-md5 on`), so the medium can later be
 * checked against itself; `readBack` does that and gives each file's MD5 as
 * recorded, to hold against the sealed manifest.
 */
export interface XorrisoRun { xorriso: string; onLine?: (line: string) => void }

export interface ImageFile { source: string; path: string }

/** `outdev`: `stdio:FILE` for an image file, a drive (`/dev/sr0`) to burn. */
export function writeImage(x: XorrisoRun, outdev: string, files: ImageFile[], volid: string, onFraction?: (f: number) => void): Promise<void> {
  // the names are UTF-8 whatever the locale, so Joliet (what Windows reads) gets every Kazakh letter right
  const args = ['-local_charset', 'UTF-8', '-abort_on', 'FAILURE', '-return_with', 'SORRY', 32, '-report_about', 'UPDATE', '-outdev', outdev, '-blank', 'as_needed',
    '-joliet', 'on', '-rockridge', 'on', '-md5', 'on', '-volid', volid, '-pacifier', 'xorriso',
    ...files.flatMap((f) => ['-map', f.source, `/${f.path}`]), '-commit', '-end'].map(String);
  return run(x, args, (l) => {
    const m = /Writing:.*?\s([\d.]+)%/.exec(l);
    if (m && onFraction) onFraction(Number(m[1]) / 100);
  }).then(() => undefined);
}

export interface ReadBack {
  /** Each file's MD5 as the image recorded it when it was written. */
  recorded: Map<string, string>;
  /** Files whose bytes on the medium do not match their recorded MD5. */
  mismatched: string[];
}

/** Every file on the medium read back and held to the MD5 recorded for it; the recorded MD5s are given to be held to the manifest. */
export async function readBack(x: XorrisoRun, indev: string): Promise<ReadBack> {
  const recorded = new Map<string, string>();
  const mismatched: string[] = [];
  const args = ['-local_charset', 'UTF-8', '-md5', 'on', '-abort_on', 'FAILURE', '-return_with', 'FAILURE', 32, '-indev', indev,
    '-find', '/', '-type', 'f', '-exec', 'get_md5', '--', '-check_md5_r', 'SORRY', '/', '--', '-end'].map(String);
  await run(x, args, (l) => {
    const h = /^([0-9a-f]{32}) {2}\/(.+)$/.exec(l);
    if (h) recorded.set(unquote(h[2]!), h[1]!);
    const m = /^MD5 MISMATCH: '\/(.+)'$/.exec(l);
    if (m) mismatched.push(unquote(m[1]!));
  });
  return { recorded, mismatched };
}

/** One file of the medium copied out to `to`. */
export async function extractFile(x: XorrisoRun, indev: string, path: string, to: string): Promise<void> {
  await run(x, ['-local_charset', 'UTF-8', '-osirrox', 'on', '-abort_on', 'FAILURE', '-indev', indev, '-extract', `/${path}`, to, '-end'], () => undefined);
}

/** The blocks free on the medium in a drive (2048 bytes each): its capacity for this export. */
export async function mediaSpaceBytes(x: XorrisoRun, outdev: string): Promise<number> {
  let blocks: number | undefined;
  await run(x, ['-outdev', outdev, '-tell_media_space', '-end'], (l) => {
    const m = /^Media space\s*:\s*(\d+)s/.exec(l);
    if (m) blocks = Number(m[1]);
  });
  if (blocks === undefined) throw failed(`${x.xorriso} did not tell the free space of ${outdev}`);
  return blocks * 2048;
}

/**
 * A name as xorriso prints it: a `'` closed, escaped and reopened, and every
 * byte that is not printable ASCII (each byte of a Kazakh letter's UTF-8)
 * as `\ooo`, a backslash as `\\`.
 */
export function unquote(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/'"'"'/g, "'");
  for (let i = 0; i < text.length; i++) {
    const oct = /^\\([0-7]{3})/.exec(text.slice(i, i + 4));
    if (oct) { bytes.push(parseInt(oct[1]!, 8)); i += 3; continue; }
    if (text.startsWith('\\\\', i)) { bytes.push(0x5c); i += 1; continue; }
    bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function run(x: XorrisoRun, args: string[], onLine: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(x.xorriso, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const line = (l: string): void => {
      onLine(l);
      x.onLine?.(l);
      if (/SORRY|FAILURE|FATAL|MISMATCH|Cannot|cannot/.test(l)) { tail.push(l.trim()); if (tail.length > 6) tail.shift(); }
    };
    createInterface({ input: child.stdout }).on('line', line);
    createInterface({ input: child.stderr }).on('line', line);
    child.on('error', (e) => reject(failed(`${x.xorriso} could not be started: ${e.message}. Install it: apt-get install xorriso`)));
    child.on('close', (code, signal) => {
      // 32: the problems it met are in the lines (a mismatch is a result, told by readBack)
      if (code === 0 || (code === 32 && tail.every((l) => /MISMATCH|mismatch|MD5 comparison/.test(l)))) resolve();
      else reject(failed(`xorriso ended with ${signal ?? `code ${code}`}: ${tail.join(' | ') || 'no message'}`));
    });
  });
}

function failed(detail: string): AbkError {
  return new AbkError(appError('export-xorriso-failed',
    'Writing the image or disc failed in xorriso. The recordings are untouched; check the drive, the disc and the free space, then write again.',
    'Запись образа или диска не удалась (xorriso). Записи не тронуты; проверьте привод, диск и свободное место и запишите снова.',
    'Бейнені не дискіні жазу сәтсіз аяқталды (xorriso). Жазбалар өзгермеді; жетекті, дискіні және бос орынды тексеріп, қайта жазыңыз.', detail));
}
