import type { FindingCode } from '../../shared/health.js';
import { appError, type AppError, type Lang } from '../../shared/result.js';
import { SEAT_ROLES, type SeatRole } from '../../shared/seats.js';

type Words = [en: string, ru: string, kk: string];

/**
 * What the secretary is told when a guard finds something, in the three
 * languages: what is wrong, with which microphone, camera or sound card, and
 * what to do. `{w}` is what it concerns; `{v}` the figure that goes with it.
 */
const TEXT: Record<FindingCode, Words> = {
  'mic-dead': ['Microphone {w} gives no signal at all while others speak. Check its cable, its mute button and its power.',
    'Микрофон {w} не даёт никакого сигнала, хотя другие говорят. Проверьте кабель, кнопку отключения и питание.',
    '{w} микрофоны басқалар сөйлеп тұрғанда ешқандай сигнал бермейді. Кабелін, өшіру түймесін және қуатын тексеріңіз.'],
  'mic-quiet': ['Microphone {w} has heard nothing but its own noise for a long time while others speak. Check that it is switched on and connected.',
    'Микрофон {w} долгое время слышит только собственный шум, хотя другие говорят. Проверьте, что он включён и подключён.',
    '{w} микрофоны басқалар сөйлеп тұрғанда ұзақ уақыт тек өз шуын естиді. Қосулы және жалғанған екенін тексеріңіз.'],
  'mic-clipping': ['Microphone {w} is too loud and distorts ({v}% of samples at full scale). Lower its gain or move it away from the speaker.',
    'Микрофон {w} перегружен, звук искажается ({v}% отсчётов на пределе). Уменьшите усиление или отодвиньте микрофон.',
    '{w} микрофоны тым қатты, дыбыс бұрмаланады (үлгілердің {v}% шегінде). Күшейтуді азайтыңыз немесе микрофонды алыстатыңыз.'],
  'mic-dc': ['Microphone {w} carries a constant offset instead of sound. Check the microphone and its input.',
    'Микрофон {w} передаёт постоянное смещение вместо звука. Проверьте микрофон и его вход.',
    '{w} микрофоны дыбыстың орнына тұрақты ығысу береді. Микрофонды және оның кірісін тексеріңіз.'],
  'mic-hum': ['Microphone {w} carries a steady hum ({v} dBFS). Check its cable and earthing.',
    'Микрофон {w} передаёт постоянный гул ({v} дБ). Проверьте кабель и заземление.',
    '{w} микрофоны тұрақты гуіл береді ({v} дБ). Кабелін және жерге тұйықтауын тексеріңіз.'],
  'audio-samples-lost': ['The sound card {w} lost {v} ms of sound. The recording goes on; the loss is written into the protocol.',
    'Звуковая карта {w} потеряла {v} мс звука. Запись продолжается; потеря отмечается в протоколе.',
    '{w} дыбыс картасы {v} мс дыбысты жоғалтты. Жазба жалғасуда; жоғалту хаттамада белгіленеді.'],
  'audio-samples-added': ['The sound card {w} delivered {v} ms of sound more than the time that passed. The recording goes on; this is written into the protocol.',
    'Звуковая карта {w} выдала на {v} мс звука больше, чем прошло времени. Запись продолжается; это отмечается в протоколе.',
    '{w} дыбыс картасы өткен уақыттан {v} мс артық дыбыс берді. Жазба жалғасуда; бұл хаттамада белгіленеді.'],
  'audio-clock-drift': ['The clock of the sound card {w} runs off by {v} ppm. Sound and picture may drift apart; tell IT staff.',
    'Часы звуковой карты {w} уходят на {v} ppm. Звук и изображение могут разойтись; сообщите ИТ-специалисту.',
    '{w} дыбыс картасының сағаты {v} ppm ауытқиды. Дыбыс пен бейне алшақтауы мүмкін; IT маманына хабарлаңыз.'],
  'capture-lag': ['The recording of sound falls behind by {v} ms: the PC is overloaded. Close other programs.',
    'Запись звука отстаёт на {v} мс: компьютер перегружен. Закройте другие программы.',
    'Дыбыс жазу {v} мс кешігуде: компьютер шамадан тыс жүктелген. Басқа бағдарламаларды жабыңыз.'],
  'camera-frozen': ['The picture of camera {w} has frozen. Check the camera.',
    'Изображение камеры {w} застыло. Проверьте камеру.',
    '{w} камерасының бейнесі қатып қалды. Камераны тексеріңіз.'],
  'camera-black': ['Camera {w} shows a black picture. Check its lens cover, its light and its cable.',
    'Камера {w} показывает чёрное изображение. Проверьте крышку объектива, освещение и кабель.',
    '{w} камерасы қара бейне көрсетеді. Объектив қақпағын, жарықты және кабелін тексеріңіз.'],
  'camera-fps-low': ['Camera {w} gives only {v} frames a second. Check its cable and network.',
    'Камера {w} даёт только {v} кадров в секунду. Проверьте кабель и сеть.',
    '{w} камерасы секундына тек {v} кадр береді. Кабелін және желіні тексеріңіз.'],
  'camera-lost': ['Camera {w} was lost.', 'Связь с камерой {w} потеряна.', '{w} камерасымен байланыс үзілді.'],
  'clock-step': ['The system clock was moved by {v} ms. The recording keeps its own time; this is written into the protocol.',
    'Системные часы переведены на {v} мс. Запись ведёт собственное время; это отмечается в протоколе.',
    'Жүйелік сағат {v} мс жылжытылды. Жазба өз уақытын жүргізеді; бұл хаттамада белгіленеді.'],
  'clock-unsynced': ['The system clock is not synchronised ({w}): the times in the protocol may be off. Tell IT staff.',
    'Системные часы не синхронизированы ({w}): время в протоколе может быть неточным. Сообщите ИТ-специалисту.',
    'Жүйелік сағат синхрондалмаған ({w}): хаттамадағы уақыт дәл болмауы мүмкін. IT маманына хабарлаңыз.'],
  'system-overload': ['The PC is overloaded (load {v} per core). Close other programs so that recording is not disturbed.',
    'Компьютер перегружен (нагрузка {v} на ядро). Закройте другие программы, чтобы не мешать записи.',
    'Компьютер шамадан тыс жүктелген (ядроға {v} жүктеме). Жазбаға кедергі болмауы үшін басқа бағдарламаларды жабыңыз.'],
};

/**
 * `what`: a name, or a microphone's track name (`mic02 Секретарь`), which is
 * told in each language by its seat's name there unless IT gave it a label of its own.
 */
export function findingError(code: FindingCode, what: string, value?: number, stem?: string): AppError {
  const seat = stem?.replace(/^mic\d+_/, '') as SeatRole | undefined;
  const role = seat && seat in SEAT_ROLES ? SEAT_ROLES[seat] : undefined;
  const num = /^mic\d+/.exec(what)?.[0];
  const named = (l: Lang): string => (role && num && what === `${num} ${role.ru}` ? `${num} ${role[l]}` : what);
  const fill = (s: string, l: Lang): string => s.replace('{w}', named(l)).replace('{v}', value === undefined ? '?' : String(value));
  const [en, ru, kk] = TEXT[code];
  return appError(code, fill(en, 'en'), fill(ru, 'ru'), fill(kk, 'kk'));
}
