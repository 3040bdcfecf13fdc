import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The React UI as three static files the engine serves: index.html, app.js (one bundle), app.css. */
const out = join('dist', 'ui');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = { bundle: true, target: 'chrome120', minify: true, jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning' } as const;
await build({ ...common, entryPoints: ['src/ui/main.tsx'], outfile: join(out, 'app.js'), format: 'esm', sourcemap: true });
for (const f of ['index.html', 'app.css']) copyFileSync(join('src', 'ui', f), join(out, f));
process.stdout.write(`UI built into ${out}\n`);

/**
 * The portable player a medium carries: one HTML file with everything in it,
 * a classic script (no modules: a page opened from file:// may load none)
 * and the hashing worker as text, started from a blob. `abk-medium.js`,
 * written beside it by each export, is the one file it loads.
 */
const player = join('dist', 'player');
rmSync(player, { recursive: true, force: true });
mkdirSync(player, { recursive: true });
const text = async (entry: string, define: Record<string, string> = {}): Promise<string> => {
  const r = await build({ ...common, entryPoints: [entry], format: 'iife', write: false, target: ['chrome100', 'firefox100'], define: { ...common.define, ...define } });
  return r.outputFiles[0]!.text;
};
const worker = await text('src/player/hash-worker.ts');
const js = await text('src/player/portable.tsx', { __ABK_HASH_WORKER__: JSON.stringify(worker) });
const css = readFileSync(join('src', 'ui', 'app.css'), 'utf8') + readFileSync(join('src', 'player', 'portable.css'), 'utf8');
const inline = (s: string): string => s.replace(/<\/(script|style)/gi, '<\\/$1');
writeFileSync(join(player, 'ABK-Player.html'), `<!doctype html>
<html lang="kk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ABK ABT — Ойнатқыш / Проигрыватель / Player</title>
<style>${inline(css)}</style>
</head>
<body>
<noscript>Бұл ойнатқышқа JavaScript керек. Для проигрывателя нужен JavaScript. The player needs JavaScript.</noscript>
<div id="root"></div>
<script src="abk-medium.js"></script>
<script>${inline(js)}</script>
</body>
</html>
`);
process.stdout.write(`portable player built into ${player}\n`);
