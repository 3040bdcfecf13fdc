import type { Lang } from '../../shared/result.js';
import type { LogReport } from './audit-check.js';
import type { FileFinding, FileStatus, PackageReport, SittingProblem } from './verify.js';

type Words = Record<Lang, string>;

export const STATUS_TEXT: Record<FileStatus, Words> = {
  ok: { en: 'ok', ru: 'в порядке', kk: 'дұрыс' },
  changed: { en: 'CHANGED', ru: 'ИЗМЕНЁН', kk: 'ӨЗГЕРТІЛГЕН' },
  truncated: { en: 'TRUNCATED', ru: 'УКОРОЧЕН', kk: 'ҚЫСҚАРТЫЛҒАН' },
  missing: { en: 'MISSING', ru: 'ОТСУТСТВУЕТ', kk: 'ЖОҚ' },
  added: { en: 'ADDED (not in the manifest)', ru: 'ЛИШНИЙ (нет в манифесте)', kk: 'АРТЫҚ (манифестте жоқ)' },
  renamed: { en: 'RENAMED', ru: 'ПЕРЕИМЕНОВАН', kk: 'АТАУЫ ӨЗГЕРТІЛГЕН' },
};

export const PROBLEM_TEXT: Record<SittingProblem['code'], Words> = {
  'manifest-missing': { en: 'the manifest is missing', ru: 'манифест отсутствует', kk: 'манифест жоқ' },
  'manifest-invalid': { en: 'the manifest cannot be read', ru: 'манифест не читается', kk: 'манифест оқылмайды' },
  'sums-missing': { en: 'a checksum list is missing', ru: 'нет списка контрольных сумм', kk: 'бақылау сомаларының тізімі жоқ' },
  'sums-disagree': { en: 'a checksum list disagrees with the manifest', ru: 'список контрольных сумм расходится с манифестом', kk: 'бақылау сомаларының тізімі манифестпен сәйкес емес' },
  'revision-missing': { en: 'an earlier revision of the manifest is missing', ru: 'отсутствует предыдущая редакция манифеста', kk: 'манифесттің алдыңғы редакциясы жоқ' },
  'revision-changed': { en: 'an earlier revision of the manifest was changed', ru: 'предыдущая редакция манифеста изменена', kk: 'манифесттің алдыңғы редакциясы өзгертілген' },
  'seal-missing': { en: 'the manifest\'s seal (electronic signature) is missing', ru: 'нет печати (электронной подписи) манифеста', kk: 'манифесттің мөрі (электрондық қолтаңбасы) жоқ' },
  'seal-invalid': { en: 'the seal does not match the manifest: the manifest was changed after sealing', ru: 'печать не соответствует манифесту: манифест изменён после опечатывания', kk: 'мөр манифестке сәйкес емес: манифест мөр басылғаннан кейін өзгертілген' },
  'seal-untrusted': { en: 'the seal was made by a signer not among the trusted ones', ru: 'печать поставлена не доверенным подписантом', kk: 'мөрді сенімді емес қол қоюшы басқан' },
  'timestamp-missing': { en: 'the seal has no timestamp', ru: 'у печати нет метки времени', kk: 'мөрде уақыт белгісі жоқ' },
  'timestamp-invalid': { en: 'the timestamp is not over this seal (moved from another sitting, or changed)', ru: 'метка времени не относится к этой печати (перенесена из другого заседания или изменена)', kk: 'уақыт белгісі бұл мөрге жатпайды (басқа отырыстан көшірілген немесе өзгертілген)' },
  'timestamp-untrusted': { en: 'the timestamp was issued by a TSA not among the trusted ones', ru: 'метка времени выдана не доверенным сервером', kk: 'уақыт белгісін сенімді емес сервер берген' },
};

const SEAL_TEXT: Record<'valid' | 'trusted' | 'missing' | 'invalid' | 'untrusted', Words> = {
  valid: { en: 'seal: valid over the manifest (signer not checked: give --trust)', ru: 'печать: верна для манифеста (подписант не проверялся: укажите --trust)', kk: 'мөр: манифестке сәйкес (қол қоюшы тексерілмеді: --trust беріңіз)' },
  trusted: { en: 'seal: valid, by a trusted signer', ru: 'печать: верна, подписант доверенный', kk: 'мөр: дұрыс, қол қоюшы сенімді' },
  missing: { en: 'seal: none', ru: 'печать: отсутствует', kk: 'мөр: жоқ' },
  invalid: { en: 'seal: DOES NOT MATCH', ru: 'печать: НЕ СООТВЕТСТВУЕТ', kk: 'мөр: СӘЙКЕС ЕМЕС' },
  untrusted: { en: 'seal: by an UNTRUSTED signer', ru: 'печать: подписант НЕ ДОВЕРЕННЫЙ', kk: 'мөр: қол қоюшы СЕНІМДІ ЕМЕС' },
};

const STAMP_TEXT: Record<'valid' | 'trusted' | 'missing' | 'invalid' | 'untrusted', Words> = {
  valid: { en: 'timestamp: valid over the seal (TSA not checked: give --trust-tsa)', ru: 'метка времени: верна для печати (сервер не проверялся: укажите --trust-tsa)', kk: 'уақыт белгісі: мөрге сәйкес (сервер тексерілмеді: --trust-tsa беріңіз)' },
  trusted: { en: 'timestamp: valid, by a trusted TSA', ru: 'метка времени: верна, сервер доверенный', kk: 'уақыт белгісі: дұрыс, сервер сенімді' },
  missing: { en: 'timestamp: none', ru: 'метка времени: отсутствует', kk: 'уақыт белгісі: жоқ' },
  invalid: { en: 'timestamp: NOT OVER THIS SEAL', ru: 'метка времени: НЕ ОТНОСИТСЯ К ЭТОЙ ПЕЧАТИ', kk: 'уақыт белгісі: БҰЛ МӨРГЕ ЖАТПАЙДЫ' },
  untrusted: { en: 'timestamp: by an UNTRUSTED TSA', ru: 'метка времени: сервер НЕ ДОВЕРЕННЫЙ', kk: 'уақыт белгісі: сервер СЕНІМДІ ЕМЕС' },
};

function stampLine(r: PackageReport, l: Lang): string | undefined {
  const t = r.timestamp;
  if (!t || (t.state === 'missing' && r.seal?.state === 'missing')) return undefined;
  const key = t.state === 'valid' ? (t.trusted ? 'trusted' : 'valid') : t.state;
  return `  ${STAMP_TEXT[key][l]}${'time' in t ? ` [${t.time}, ${t.tsa}]` : ''}`;
}

function sealLine(r: PackageReport, l: Lang): string | undefined {
  const s = r.seal;
  if (!s) return undefined;
  const key = s.state === 'valid' ? (s.trusted ? 'trusted' : 'valid') : s.state;
  return `  ${SEAL_TEXT[key][l]}${'signer' in s ? ` [SHA-256 ${s.signer}]` : ''}`;
}

const VERDICT: Record<'ok' | 'bad', Words> = {
  ok: { en: 'VERIFIED: every file is as recorded', ru: 'ПРОВЕРЕНО: все файлы соответствуют записанным', kk: 'ТЕКСЕРІЛДІ: барлық файл жазылғандай' },
  bad: { en: 'NOT VERIFIED: the package differs from what was recorded', ru: 'НЕ ПРОШЛО ПРОВЕРКУ: пакет отличается от записанного', kk: 'ТЕКСЕРУДЕН ӨТПЕДІ: пакет жазылғаннан өзгеше' },
};

function fileLine(f: FileFinding, l: Lang): string {
  const sizes = f.expectedBytes !== undefined && f.bytes !== undefined ? ` (${f.bytes} / ${f.expectedBytes} bytes)` : '';
  const to = f.renamedTo ? ` → ${f.renamedTo}` : '';
  return `  ${STATUS_TEXT[f.status][l]}  ${f.name}${to}${sizes}${f.detail ? `: ${f.detail}` : ''}`;
}

/** A package's report for a person: the verdict, then every file that is not ok (all with `all`), then the problems. */
export function describeReport(r: PackageReport, l: Lang, all = false): string {
  const head = `${r.dir}${r.revision !== undefined ? ` (${r.base}, revision ${r.revision})` : ''}\n${VERDICT[r.ok ? 'ok' : 'bad'][l]}`;
  const files = r.files.filter((f) => all || f.status !== 'ok').map((f) => fileLine(f, l));
  const problems = r.problems.map((p) => `  ${PROBLEM_TEXT[p.code][l]}: ${p.detail}`);
  const okCount = r.files.filter((f) => f.status === 'ok').length;
  const seal = [sealLine(r, l), stampLine(r, l)].filter((x): x is string => x !== undefined);
  return [head, ...files, ...problems, ...seal, `  ${okCount}/${r.files.filter((f) => f.status !== 'added').length} ok`].join('\n');
}

const LOG_TEXT: Record<'holds' | 'changed' | 'truncated' | 'noAnchor', Words> = {
  holds: { en: 'audit log: holds', ru: 'журнал аудита: цел', kk: 'аудит журналы: бүтін' },
  changed: { en: 'audit log: CHANGED', ru: 'журнал аудита: ИЗМЕНЁН', kk: 'аудит журналы: ӨЗГЕРТІЛГЕН' },
  truncated: { en: 'audit log: CUT BACK (events removed from its end)', ru: 'журнал аудита: УКОРОЧЕН (удалены последние события)', kk: 'аудит журналы: ҚЫСҚАРТЫЛҒАН (соңғы оқиғалар жойылған)' },
  noAnchor: { en: 'no anchor file beside it: a cut-back end after the last sealed manifest would not be seen', ru: 'рядом нет файла-якоря: укорочение после последнего опечатанного манифеста не было бы видно', kk: 'жанында якорь файлы жоқ: соңғы мөрленген манифесттен кейінгі қысқарту көрінбес еді' },
};

const EVENTS: Words = { en: 'events, checked against', ru: 'событий, сверено с', kk: 'оқиға, салыстырылған' };
const HEADS: Words = { en: 'head(s) in sealed manifests and the anchor', ru: 'отметками в опечатанных манифестах и якоре', kk: 'мөрленген манифесттер мен якордегі белгімен' };

const CHAIN_TEXT: Record<'holds' | 'broken', Words> = {
  holds: { en: 'chain of segments and marks: holds', ru: 'цепочка сегментов и отметок: цела', kk: 'сегменттер мен белгілер тізбегі: бүтін' },
  broken: { en: 'chain of segments and marks: DOES NOT HOLD', ru: 'цепочка сегментов и отметок: НАРУШЕНА', kk: 'сегменттер мен белгілер тізбегі: БҰЗЫЛҒАН' },
};
const ENTRIES: Words = { en: 'entries', ru: 'записей', kk: 'жазба' };

/** The appliance's audit log, for a person: whether it holds, against how many heads, and what broke; then each sitting's chain. */
export function describeLog(r: LogReport, l: Lang): string {
  const lines = [`${r.root}/abk.sqlite`];
  if (!r.check.ok) lines.push(`  ${LOG_TEXT[r.check.code][l]}: ${r.check.reason}`);
  else lines.push(`  ${LOG_TEXT.holds[l]}: ${r.check.events} ${EVENTS[l]} ${r.heads} ${HEADS[l]}`);
  if (r.anchor === 'none') lines.push(`  ${LOG_TEXT.noAnchor[l]}`);
  for (const c of r.chains) {
    if (c.check.ok) lines.push(`  ${c.base}: ${CHAIN_TEXT.holds[l]} (${c.check.entries} ${ENTRIES[l]})`);
    else lines.push(`  ${c.base}: ${CHAIN_TEXT.broken[l]}`, ...c.check.findings.map((f) => `    ${f.status.toUpperCase()}  ${f.name}: ${f.detail}`));
  }
  return lines.join('\n');
}

const MEDIUM_STATUS: Record<'changed' | 'missing' | 'added' | 'unreadable', Words> = {
  changed: STATUS_TEXT.changed, missing: STATUS_TEXT.missing,
  added: { en: 'ADDED (not in the medium\'s index)', ru: 'ЛИШНИЙ (нет в описи носителя)', kk: 'АРТЫҚ (тасығыш тізімінде жоқ)' },
  unreadable: { en: 'UNREADABLE', ru: 'НЕ ЧИТАЕТСЯ', kk: 'ОҚЫЛМАЙДЫ' },
};

/** An ISO image's or a disc's check, for a person. */
export function describeMedium(r: { where: string; ok: boolean; problem: string | undefined; files: number; findings: { path: string; status: keyof typeof MEDIUM_STATUS; detail?: string }[]; index: { disc: { number: number; of: number }; sittings: { base: string; manifest: { sha256: string } }[] } | undefined }, lang: Lang): string {
  const head = r.ok
    ? { en: `${r.where}: VERIFIED — every one of its ${r.files} files reads back as written and as the index says`, ru: `${r.where}: ПРОВЕРЕН — все ${r.files} файлов читаются так, как записаны и как указано в описи`, kk: `${r.where}: ТЕКСЕРІЛДІ — ${r.files} файлдың бәрі жазылғандай және тізімдегідей оқылады` }[lang]
    : { en: `${r.where}: NOT VERIFIED`, ru: `${r.where}: НЕ ПРОВЕРЕН`, kk: `${r.where}: ТЕКСЕРІЛМЕДІ` }[lang];
  const lines = [head];
  if (r.problem) lines.push(`  ${r.problem}`);
  if (r.index) for (const s of r.index.sittings) lines.push(`  ${s.base}  manifest SHA-256 ${s.manifest.sha256}  (${r.index.disc.number}/${r.index.disc.of})`);
  for (const f of r.findings) lines.push(`  ${MEDIUM_STATUS[f.status][lang]}  ${f.path}${f.detail ? `  (${f.detail})` : ''}`);
  return lines.join('\n');
}
