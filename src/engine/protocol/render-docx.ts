import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { AbkError, appError } from '../../shared/result.js';

interface DocxError { name?: string; message?: string; properties?: { id?: string; xtag?: string; explanation?: string; errors?: DocxError[] } }

/** A template that cannot be used: the message names the template and the placeholder, in the user's three languages. */
export function templateError(template: string, code: string, what: { en: string; ru: string; kk: string }, detail?: string): AbkError {
  return new AbkError(appError(`protocol-template-${code}`,
    `The protocol template ${template} ${what.en}. Fix the template (or remove it to use the built-in one), then run "abk protocol" for the sitting again; the recording is not affected.`,
    `Шаблон протокола ${template}: ${what.ru}. Исправьте шаблон (или удалите его, чтобы использовался встроенный) и сформируйте протокол заново командой «abk protocol»; запись не затронута.`,
    `Хаттама үлгісі ${template}: ${what.kk}. Үлгіні түзетіңіз (немесе кірістірілгені қолданылуы үшін оны жойыңыз), содан кейін хаттаманы «abk protocol» командасымен қайта жасаңыз; жазбаға әсер етпейді.`,
    detail));
}

/**
 * Fills a DOCX template with `data`. Placeholders are `{name}`; `{#list}…{/list}`
 * repeats a table row or paragraphs; `{^list}…{/list}` shows when the list is
 * empty. A placeholder the data does not have, a broken loop or tag, or a file
 * that is not a DOCX is refused with an error naming it.
 */
export function renderDocx(templateName: string, template: Buffer, data: object): Buffer {
  let zip: PizZip;
  try {
    zip = new PizZip(template);
  } catch (e) {
    throw templateError(templateName, 'not-docx', { en: 'is not a DOCX document', ru: 'не является документом DOCX', kk: 'DOCX құжаты емес' }, (e as Error).message);
  }
  if (zip.file('word/document.xml') === null) {
    throw templateError(templateName, 'not-docx', { en: 'is not a DOCX document (no word/document.xml)', ru: 'не является документом DOCX (нет word/document.xml)', kk: 'DOCX құжаты емес (word/document.xml жоқ)' });
  }
  const unknown = new Set<string>();
  let doc: Docxtemplater;
  try {
    doc = new Docxtemplater(zip, {
      paragraphLoop: true,
      errorLogging: false,
      linebreaks: true,
      nullGetter: (part) => {
        if (part.module === undefined && typeof part.value === 'string') unknown.add(part.value);
        return '';
      },
    });
  } catch (e) {
    throw brokenTemplate(templateName, e as DocxError);
  }
  try {
    doc.render(data);
  } catch (e) {
    throw brokenTemplate(templateName, e as DocxError);
  }
  if (unknown.size > 0) {
    const tags = [...unknown].map((t) => `{${t}}`).join(', ');
    throw templateError(templateName, 'unknown-placeholder', {
      en: `has an unknown placeholder ${tags}`, ru: `неизвестное поле ${tags}`, kk: `белгісіз өріс ${tags}`,
    });
  }
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function brokenTemplate(templateName: string, e: DocxError): AbkError {
  const errors = e.properties?.errors ?? [e];
  const first = errors[0]!;
  const tag = first.properties?.xtag ? `{${first.properties.xtag}}` : '';
  const why = errors.map((x) => `${x.properties?.id ?? x.name}${x.properties?.xtag ? ` ${x.properties.xtag}` : ''}: ${x.properties?.explanation ?? x.message}`).join('; ');
  const id = first.properties?.id ?? '';
  if (/loop/.test(id) || /closing_tag_does_not_match/.test(id)) {
    return templateError(templateName, 'broken-loop', { en: `has a broken loop ${tag} (opened and not closed, or closed and not opened)`, ru: `нарушен цикл ${tag} (открыт и не закрыт или закрыт без открытия)`, kk: `${tag} циклі бұзылған (ашылып жабылмаған немесе ашылмай жабылған)` }, why);
  }
  return templateError(templateName, 'broken-tag', { en: `has a broken placeholder ${tag}`, ru: `повреждено поле ${tag}`, kk: `${tag} өрісі бұзылған` }, why);
}
