import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/ui/i18n/en.js';
import { kk } from '../../src/ui/i18n/kk.js';
import { ru } from '../../src/ui/i18n/ru.js';

type Tree = { [k: string]: string | Tree };
const keys = (t: Tree, prefix = ''): string[] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
const value = (t: Tree, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o as Tree | undefined)?.[k], t);

const UI = join(import.meta.dirname, '..', '..', 'src', 'ui');
const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !dir.endsWith('i18n') ? [readFileSync(join(dir, e.name), 'utf8')] : []));

describe('the interface texts', () => {
  it.each([['ru', ru], ['kk', kk]] as const)('%s has every key of the English set, none empty, and no other', (_lang, messages) => {
    expect(keys(messages as Tree).sort()).toEqual(keys(en as Tree).sort());
    for (const k of keys(messages as Tree)) expect(String(value(messages as Tree, k)).trim(), k).not.toBe('');
  });

  it('keep the same {{placeholders}} in every language', () => {
    for (const k of keys(en as Tree)) {
      const vars = (s: unknown): string[] => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();
      expect(vars(value(ru as Tree, k)), k).toEqual(vars(value(en as Tree, k)));
      expect(vars(value(kk as Tree, k)), k).toEqual(vars(value(en as Tree, k)));
    }
  });

  it('cover every key the screens use', () => {
    const code = sources(UI).join('\n');
    const literal = [...code.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
    expect(literal.length).toBeGreaterThan(50);
    for (const k of literal) expect(typeof value(en as Tree, k), k).toBe('string');
    // keys built at run time, t(`states.${s}`): their prefix must be a group of texts
    const prefixes = [...code.matchAll(/\bt\(`([\w.]+)\.\$\{/g)].map((m) => m[1]!);
    for (const p of prefixes) expect(typeof value(en as Tree, p), p).toBe('object');
  });
});
