import { describe, expect, it } from 'vitest';
import { caseSlug, fileNames, finalFolder, MAX_NAME_CHARS, sittingBase } from '../../src/shared/naming.js';

describe('caseSlug', () => {
  it.each([
    ['7599-24-00-2/1234', '7599-24-00-2_1234'],
    ['3599-24-00-2а/2151', '3599-24-00-2а_2151'],
    ['..\\..\\Windows:system32', 'Windows-system32'],
    ['  12 / 34  ', '12-34'],
    ['CON', 'CON_'],
    ['a\u0000b\u001fc', 'abc'],
    ['Іс №2-әғқңөұүһі', 'Іс-№2-әғқңөұүһі'],
  ])('%j → %j', (input, slug) => {
    expect(caseSlug(input)).toBe(slug);
  });
  it('limits the length and never ends in a dot or dash', () => {
    const s = caseSlug(`${'7'.repeat(100)}.`);
    expect([...s].length).toBeLessThanOrEqual(64);
    expect(s).not.toMatch(/[.-]$/);
  });
  it('refuses an empty case number with a message saying what to do', () => {
    expect(() => caseSlug('   ')).toThrow(/enter the case number/);
  });
});

describe('sittingBase', () => {
  it('uses the date and time in Asia/Almaty (UTC+5)', () => {
    expect(sittingBase('7599-24-00-2/1234', Date.UTC(2026, 10, 22, 5, 30))).toBe('7599-24-00-2_1234_2026-11-22_10-30');
    expect(sittingBase('1', Date.UTC(2026, 10, 22, 20, 15))).toBe('1_2026-11-23_01-15');
  });
});

describe('names on every medium', () => {
  const at = Date.UTC(2026, 10, 22, 5, 30);
  it.each([
    '7599-24-00-2/1234', '3599-24-00-2а/2151', '..\\..\\x:y', '7'.repeat(300), 'Іс №2-әғқңөұүһі/1',
  ])('%j: every file name fits Joliet (64) and holds no separator or reserved character', (n) => {
    const base = `${sittingBase(n, at)}_99`;
    for (const name of [fileNames.mic(base, 'mic64_associate-judge'), fileNames.manifest(base), fileNames.av(base), fileNames.video(base, 1)]) {
      expect([...name].length).toBeLessThanOrEqual(MAX_NAME_CHARS);
      expect(name).not.toMatch(/[/\\:*?"<>|\u0000-\u001f]|\.\./);
    }
    for (const part of finalFolder(n, at, base)) expect([...part].length).toBeLessThanOrEqual(MAX_NAME_CHARS);
  });
  it('keeps two long case numbers with one beginning apart', () => {
    expect(sittingBase(`${'1'.repeat(40)}A`, at)).not.toBe(sittingBase(`${'1'.repeat(40)}B`, at));
  });
});
