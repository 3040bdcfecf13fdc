/**
 * npm run make:templates — writes assets/protocol/{kk,ru}.docx, the short
 * protocol's default templates (ordinary Word documents with {placeholders};
 * see the README's placeholder reference). Run it after changing the layout
 * here; court staff edit the DOCX files themselves in Word.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';

type Lang = 'kk' | 'ru';
const T: Record<string, Record<Lang, string>> = {
  title: { kk: 'СОТ ОТЫРЫСЫНЫҢ ҚЫСҚАША ХАТТАМАСЫ', ru: 'КРАТКИЙ ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ' },
  subtitle: { kk: '(аудио-, бейнежазба құралдарымен жүргізілген)', ru: '(к аудио-, видеозаписи судебного заседания)' },
  courtroom: { kk: 'Сот отырысының залы', ru: 'Зал судебного заседания' },
  city: { kk: 'Қала', ru: 'Город' },
  caseNo: { kk: 'Іс №', ru: 'Дело №' },
  category: { kk: 'Іс санаты', ru: 'Категория дела' },
  description: { kk: 'Істің қысқаша мазмұны', ru: 'Краткое содержание дела' },
  start: { kk: 'Отырыстың басталуы', ru: 'Начало заседания' },
  end: { kk: 'Отырыстың аяқталуы', ru: 'Окончание заседания' },
  tz: { kk: 'уақыт Астана/Алматы', ru: 'время Астаны/Алматы' },
  duration: { kk: 'Жазбаның ұзақтығы', ru: 'Продолжительность записи' },
  composition: { kk: 'Соттың құрамы', ru: 'Состав суда' },
  presiding: { kk: 'төрағалық етуші', ru: 'председательствующий' },
  judges: { kk: 'судьялар', ru: 'судьи' },
  secretary: { kk: 'Сот отырысының хатшысы', ru: 'Секретарь судебного заседания' },
  interpreter: { kk: 'Аудармашы', ru: 'Переводчик' },
  language: { kk: 'Іс жүргізу тілі', ru: 'Язык судопроизводства' },
  participants: { kk: 'Процеске қатысушылар', ru: 'Участники процесса' },
  no: { kk: '№', ru: '№' },
  name: { kk: 'Тегі, аты, әкесінің аты', ru: 'Фамилия, имя, отчество' },
  role: { kk: 'Процестік жағдайы', ru: 'Процессуальное положение' },
  attendance: { kk: 'Қатысуы', ru: 'Явка' },
  noneParticipants: { kk: 'Көрсетілмеген.', ru: 'Не указаны.' },
  evidence: { kk: 'Зерттелген дәлелдемелер', ru: 'Исследованные доказательства' },
  noneEvidence: { kk: 'Дәлелдемелер зерттелген жоқ.', ru: 'Доказательства не исследовались.' },
  presentedBy: { kk: 'ұсынған', ru: 'представлено' },
  marks: { kk: 'Сөйлеген сөздер мен оқиғалардың уақыт белгілері', ru: 'Временные отметки выступлений и событий' },
  fromStart: { kk: 'Басынан', ru: 'От начала' },
  clock: { kk: 'Уақыты', ru: 'Время' },
  who: { kk: 'Кім', ru: 'Кто' },
  what: { kk: 'Не', ru: 'Что' },
  noneMarks: { kk: 'Белгілер жоқ.', ru: 'Отметок нет.' },
  breaks: { kk: 'Үзілістер және кеңесу бөлмесіне кетулер', ru: 'Перерывы и удаления в совещательную комнату' },
  noneBreaks: { kk: 'Болған жоқ.', ru: 'Не было.' },
  means: { kk: 'Пайдаланылған жазба құралдары', ru: 'Использованные средства записи' },
  microphones: { kk: 'Микрофондар', ru: 'Микрофоны' },
  cameras: { kk: 'Бейнекамералар', ru: 'Видеокамеры' },
  noneCameras: { kk: 'жоқ', ru: 'нет' },
  software: { kk: 'Бағдарлама', ru: 'Программа' },
  files: { kk: 'Электрондық хаттаманың файлдары', ru: 'Файлы электронного протокола' },
  size: { kk: 'Өлшемі, байт', ru: 'Размер, байт' },
  manifest: { kk: 'Файлдар тізімі (манифест)', ru: 'Перечень файлов (манифест)' },
  seal: { kk: 'Мөр', ru: 'Печать' },
  completeness: { kk: 'Жазбаның толықтығы', ru: 'Полнота записи' },
  signatures: { kk: 'Қолдар', ru: 'Подписи' },
  equipment: { kk: 'Жабдықтың жұмысы', ru: 'Работа оборудования' },
  generated: { kk: 'Хаттама автоматты түрде жасалды', ru: 'Протокол сформирован автоматически' },
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const run = (text: string, o: { bold?: boolean; size?: number; mono?: boolean } = {}): string =>
  `<w:r><w:rPr>${o.mono ? '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>' : ''}${o.bold ? '<w:b/>' : ''}${o.size ? `<w:sz w:val="${o.size}"/><w:szCs w:val="${o.size}"/>` : ''}</w:rPr><w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
const para = (runs: string, o: { center?: boolean; spaceBefore?: number; keepNext?: boolean } = {}): string =>
  `<w:p><w:pPr>${o.keepNext ? '<w:keepNext/>' : ''}<w:spacing w:before="${o.spaceBefore ?? 0}" w:after="60"/>${o.center ? '<w:jc w:val="center"/>' : ''}</w:pPr>${runs}</w:p>`;
const heading = (text: string): string => para(run(text, { bold: true }), { spaceBefore: 200, keepNext: true });
const field = (label: string, tag: string): string => para(run(`${label}: `, { bold: true }) + run(tag));

/** A table: a header row, then one row repeated by a loop ({#loop} in the first cell, {/loop} in the last). */
function table(loop: string, cols: { head: string; tag: string; width: number; small?: boolean }[]): string {
  const grid = cols.map((c) => `<w:gridCol w:w="${c.width}"/>`).join('');
  const cell = (content: string, width: number): string =>
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${content}</w:tc>`;
  const header = `<w:tr><w:trPr><w:tblHeader/></w:trPr>${cols.map((c) => cell(para(run(c.head, { bold: true, size: 18 })), c.width)).join('')}</w:tr>`;
  const body = `<w:tr>${cols.map((c, i) => cell(para(run(`${i === 0 ? `{#${loop}}` : ''}${c.tag}${i === cols.length - 1 ? `{/${loop}}` : ''}`, { size: c.small ? 16 : 20 })), c.width)).join('')}</w:tr>`;
  const borders = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((b) => `<w:${b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('');
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>${grid}</w:tblGrid>${header}${body}</w:tbl>`;
}

/** One paragraph per item: the loop's tags stand in paragraphs of their own (docxtemplater's paragraphLoop). */
const eachLine = (loop: string, line: string): string[] => [para(run(`{#${loop}}`)), para(run(line)), para(run(`{/${loop}}`))];

function documentXml(l: Lang): string {
  const t = (k: string): string => T[k]![l];
  const body = [
    para(run(t('title'), { bold: true, size: 28 }), { center: true }),
    para(run(t('subtitle')), { center: true }),
    para(run('{court}', { bold: true }), { center: true, spaceBefore: 120 }),
    field(t('city'), '{city}'),
    field(t('courtroom'), '{courtroom}'),
    field(t('caseNo'), '{caseNumber}'),
    field(t('category'), '{caseCategory}'),
    field(t('description'), '{description}'),
    field(t('language'), '{languageName}'),
    field(t('start'), `{startDate} {startTime} (UTC{utcOffset}, ${t('tz')})`),
    field(t('end'), `{endDate} {endTime} (UTC{utcOffset})`),
    field(t('duration'), '{recordedDuration}'),
    heading(t('composition')),
    para(run(`${t('presiding')}: {presidingJudge}`)),
    para(run(`{#hasJudges}${t('judges')}: {/hasJudges}{#judges}{name}{^last}, {/last}{/judges}`)),
    field(t('secretary'), '{secretary}'),
    field(t('interpreter'), '{interpreter}'),
    heading(t('participants')),
    table('participants', [
      { head: t('no'), tag: '{n}', width: 500 },
      { head: t('name'), tag: '{name}', width: 3800 },
      { head: t('role'), tag: '{role}', width: 2900 },
      { head: t('attendance'), tag: '{attendance}', width: 2400 },
    ]),
    para(run(`{^participants}${t('noneParticipants')}{/participants}`)),
    heading(t('evidence')),
    ...eachLine('evidence', `{n}. {title}{#presentedBy} (${t('presentedBy')}: {presentedBy}){/presentedBy}`),
    para(run(`{^evidence}${t('noneEvidence')}{/evidence}`)),
    heading(t('marks')),
    table('marks', [
      { head: t('no'), tag: '{n}', width: 500 },
      { head: t('fromStart'), tag: '{offset}', width: 1100 },
      { head: t('clock'), tag: '{wallTime}', width: 1000 },
      { head: t('who'), tag: '{who}', width: 3300 },
      { head: t('what'), tag: '{what}', width: 3700 },
    ]),
    para(run(`{^marks}${t('noneMarks')}{/marks}`)),
    heading(t('breaks')),
    ...eachLine('breaks', '{from}{#to} – {to}{/to}: {what}'),
    para(run(`{^breaks}${t('noneBreaks')}{/breaks}`)),
    heading(t('means')),
    para(run(`${t('microphones')}: `, { bold: true }) + run('{#microphones}{number} – {seat}{^last}; {/last}{/microphones}')),
    para(run(`${t('cameras')}: `, { bold: true }) + run(`{#cameras}{name}{^last}; {/last}{/cameras}{^cameras}${t('noneCameras')}{/cameras}`)),
    para(run(`${t('software')}: `, { bold: true }) + run('{software}')),
    heading(t('files')),
    para(run('{#files}')),
    para(run('{n}. {name}', { bold: true, size: 20 }) + run(' — {kind}, {duration}', { size: 20 }), { keepNext: true }),
    para(run(`${t('size')}: {bytes}`, { size: 18 }), { keepNext: true }),
    para(run('MD5: ', { size: 18 }) + run('{md5}', { size: 18, mono: true }), { keepNext: true }),
    para(run('SHA-256: ', { size: 18 }) + run('{sha256}', { size: 16, mono: true })),
    para(run('{/files}')),
    para(run(`${t('manifest')}: `, { bold: true, size: 20 }) + run('{manifestName}', { size: 20 }), { keepNext: true }),
    para(run('MD5: ', { size: 18 }) + run('{manifestMd5}', { size: 18, mono: true }), { keepNext: true }),
    para(run(`${t('seal')}: `, { bold: true, size: 18 }) + run('{seal}', { size: 18 })),
    heading(t('completeness')),
    para(run('{completeness}')),
    ...eachLine('gaps', '{from} – {to}: {what}'),
    heading(t('equipment')),
    para(run('{healthNone}')),
    ...eachLine('health', '{#from}{from}{#to} – {to}{/to}{#lasted} ({lasted}){/lasted}: {/from}{what}'),
    para(run('{selfTest}')),
    heading(t('signatures')),
    para(run(`${t('presiding')} ____________________ {presidingJudge}`), { spaceBefore: 240 }),
    para(run(`${t('secretary')} ____________________ {secretary}`), { spaceBefore: 240 }),
    para(run(`${t('generated')}: {generatedAt}`, { size: 16 }), { spaceBefore: 240 }),
  ].join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1418" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>`;

function docx(l: Lang): Buffer {
  const zip = new PizZip();
  // a fixed date keeps the files byte-identical from one run to the next
  const add = (name: string, data: string): void => void zip.file(name, data, { date: new Date('2026-01-01T00:00:00Z') });
  add('[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`);
  add('_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`);
  add('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`);
  add('word/document.xml', documentXml(l));
  add('word/styles.xml', STYLES);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

for (const l of ['kk', 'ru'] as const) {
  const path = join(import.meta.dirname, '..', 'assets', 'protocol', `${l}.docx`);
  writeFileSync(path, docx(l));
  process.stdout.write(`${path}\n`);
}
