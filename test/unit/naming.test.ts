import { describe, expect, it } from 'vitest';
import { caseSlug, sittingBase } from '../../src/shared/naming.js';

describe('caseSlug', () => {
  it.each([
    ['7599-24-00-2/1234', '7599-24-00-2-1234'],
    ['3599-24-00-2а/2151', '3599-24-00-2а-2151'],
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
    expect(sittingBase('7599-24-00-2/1234', Date.UTC(2026, 10, 22, 5, 30))).toBe('7599-24-00-2-1234_2026-11-22_10-30');
    expect(sittingBase('1', Date.UTC(2026, 10, 22, 20, 15))).toBe('1_2026-11-23_01-15');
  });
});
