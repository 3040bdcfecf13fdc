import { chmodSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileNames } from '../../shared/naming.js';
import { writeFileDurable } from '../recorder/sitting-folder.js';
import { sealNames } from './seal.js';

/**
 * VERIFY.txt: how anyone checks this folder with the tools their computer
 * already has, in Kazakh, Russian and English. It describes the package and
 * is not evidence itself, so the manifest does not list it.
 */
export function verifyGuide(base: string, signer: string | undefined): string {
  const manifest = fileNames.manifest(base);
  const p7s = sealNames.signature(base);
  const pem = sealNames.signer(base);
  const seal = `openssl cms -verify -binary -inform DER -in ${p7s} -content ${manifest} -CAfile ${pem} -partial_chain -purpose any -out /dev/null`;
  const stamp = `openssl ts -verify -in ${sealNames.timestamp(base)} -data ${p7s} -CAfile <TSA.pem>`;
  const extra = `MD5SUMS, SHA256SUMS, ${manifest}, *.p7s, *.tsr, ${pem}, VERIFY.txt`;
  return [
    `ABK ABT — ${base}`,
    '',
    '[kk] Бұл қалтаны тексеру',
    '  1. ABK ABT бағдарламасымен: abk verify <қалта>',
    '  2. Бақылау сомалары (Linux): md5sum -c MD5SUMS және sha256sum -c SHA256SUMS',
    '     Windows: certutil -hashfile <файл> SHA256 — нәтижені SHA256SUMS тізімімен салыстырыңыз',
    `  3. Манифесттің мөрі (электрондық қолтаңба): ${seal}`,
    '     «Verification successful» шықса, манифест мөр басылғаннан кейін өзгертілмеген.',
    `  4. Мөрдің уақыт белгісі (бар болса): ${stamp}`,
    '     <TSA.pem> — уақыт белгілері серверінің сертификаты (сот IT қызметінен). Сертификат мерзімі өтсе, 3-қадамға -attime <белгі уақыты, секунд> қосыңыз.',
    `  5. Қалтадағы әр файл SHA256SUMS тізімінде болуы керек, мыналардан басқа: ${extra}`,
    '',
    '[ru] Проверка этой папки',
    '  1. Программой ABK ABT: abk verify <папка>',
    '  2. Контрольные суммы (Linux): md5sum -c MD5SUMS и sha256sum -c SHA256SUMS',
    '     Windows: certutil -hashfile <файл> SHA256 — сравните со списком SHA256SUMS',
    `  3. Печать манифеста (электронная подпись): ${seal}`,
    '     «Verification successful» означает, что манифест не изменялся после опечатывания.',
    `  4. Метка времени печати (если есть): ${stamp}`,
    '     <TSA.pem> — сертификат сервера меток времени (от IT-службы суда). Если срок сертификата истёк, добавьте к шагу 3 -attime <время метки, в секундах>.',
    `  5. Каждый файл папки должен быть в списке SHA256SUMS, кроме: ${extra}`,
    '',
    '[en] Checking this folder',
    '  1. With ABK ABT: abk verify <folder>',
    '  2. Checksums (Linux): md5sum -c MD5SUMS and sha256sum -c SHA256SUMS',
    '     Windows: certutil -hashfile <file> SHA256 — compare with the list in SHA256SUMS',
    `  3. The manifest's seal (electronic signature): ${seal}`,
    '     "Verification successful" means the manifest was not changed after it was sealed.',
    `  4. The seal's timestamp (when there is one): ${stamp}`,
    '     <TSA.pem> is the timestamp server\'s certificate (from the court IT). Once a certificate has expired, add -attime <the timestamp\'s time, in seconds> to step 3.',
    `  5. Every file of the folder must be in SHA256SUMS, except: ${extra}`,
    '',
    ...(signer ? [`SHA-256 (${pem}): ${signer}`, '  [kk] Қол қоюшы сертификатының саусақ ізі: сот IT қызметіндегі тізіммен салыстырыңыз.',
      '  [ru] Отпечаток сертификата подписанта: сверьте со списком IT-службы суда.',
      '  [en] The signer certificate\'s fingerprint: compare it with the court IT\'s list.', ''] : []),
  ].join('\n');
}

/** Write the guide into a package folder, read-only, in one rename. */
export function writeVerifyGuide(dir: string, base: string, signer: string | undefined): void {
  const path = join(dir, fileNames.verifyGuide());
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  writeFileDurable(tmp, verifyGuide(base, signer));
  chmodSync(tmp, 0o444);
  rmSync(path, { force: true });
  renameSync(tmp, path);
}
