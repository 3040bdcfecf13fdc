import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { kk } from './kk.js';
import { ru } from './ru.js';

export type UiLang = 'kk' | 'ru' | 'en';
export const UI_LANGS: { id: UiLang; name: string }[] = [{ id: 'kk', name: 'Қазақша' }, { id: 'ru', name: 'Русский' }, { id: 'en', name: 'English' }];
const KEY = 'abk.uiLang';

/** The interface language: the secretary's choice, kept on this PC; independent of the protocol's language. */
export function initI18n(): typeof i18next {
  const saved = localStorage.getItem(KEY);
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru }, kk: { translation: kk } },
    lng: saved === 'en' || saved === 'ru' || saved === 'kk' ? saved : 'kk',
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export function setUiLang(lang: UiLang): void {
  localStorage.setItem(KEY, lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** Whether someone at this PC picked the language (else the configuration's is used). */
export const hasUiLangChoice = (): boolean => localStorage.getItem(KEY) !== null;
