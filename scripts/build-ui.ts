import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The React UI as three static files the engine serves: index.html, app.js (one bundle), app.css. */
const out = join('dist', 'ui');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/ui/main.tsx'], bundle: true, outfile: join(out, 'app.js'), format: 'esm', target: 'chrome120',
  minify: true, sourcemap: true, jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) copyFileSync(join('src', 'ui', f), join(out, f));
process.stdout.write(`UI built into ${out}\n`);
