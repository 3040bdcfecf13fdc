import { appError, type AppError } from '../../shared/result.js';

/** What the recorder tells the secretary, in the three languages. */
const mibOf = (bytes: number): number => Math.round(bytes / 1048576);

export const diskLow = (free: number): AppError => appError('disk-low',
  `Only ${mibOf(free)} MiB are free for recordings. Free space soon: the recording stops before the disk is full.`,
  `Для записей осталось ${mibOf(free)} МиБ. Освободите место: запись остановится до заполнения диска.`,
  `Жазбалар үшін ${mibOf(free)} МиБ қалды. Орын босатыңыз: жазба диск толғанға дейін тоқтайды.`);

export const diskFull = (dir: string, free: number): AppError => appError('disk-full',
  `The disk for recordings is almost full (${mibOf(free)} MiB free); recording was stopped cleanly and everything recorded is kept. Free space, then start again.`,
  `Диск для записей почти заполнен (свободно ${mibOf(free)} МиБ); запись остановлена корректно, записанное сохранено. Освободите место и начните снова.`,
  `Жазбаларға арналған диск толуға жақын (${mibOf(free)} МиБ бос); жазба дұрыс тоқтатылды, жазылғаны сақталды. Орын босатып, қайта бастаңыз.`, dir);

export const noAudioInput = (codes: string[]): AppError => appError('no-audio-input',
  `No microphone input could be started (${codes.join(', ')}); nothing is being recorded. See the messages above.`,
  'Не удалось запустить ни один микрофонный вход; запись не идёт. См. сообщения выше.',
  'Бірде-бір микрофон кірісі іске қосылмады; жазба жүріп жатқан жоқ. Жоғарыдағы хабарларды қараңыз.');

export const audioNoData = (device: string): AppError => appError('audio-no-data',
  `Audio input of ${device} gives no sound data. Check the sound card connection.`,
  `Аудиовход ${device} не передаёт данные. Проверьте подключение звуковой карты.`,
  `${device} аудиокірісі дерек бермейді. Дыбыс картасының қосылымын тексеріңіз.`);

export const audioStalled = (device: string, silentMs: number): AppError => {
  const s = Math.round(silentMs / 1000);
  return appError('audio-stalled', `The sound card (${device}) has sent no sound for ${s} s. Check that it is connected.`,
    `Звуковая карта (${device}) не передаёт звук ${s} с. Проверьте подключение.`,
    `Дыбыс картасы (${device}) ${s} с бойы дыбыс бермейді. Қосылымын тексеріңіз.`);
};

export const captureCrashed = (why: string): AppError => appError('audio-capture-crashed',
  `The audio capture process stopped unexpectedly (${why}); it is being restarted. The gap will be marked in the protocol.`,
  `Процесс записи звука неожиданно остановился (${why}); он перезапускается. Разрыв будет отмечен в протоколе.`,
  `Дыбыс жазу процесі күтпеген жерден тоқтады (${why}); ол қайта іске қосылуда. Үзіліс хаттамада белгіленеді.`);

export const captureHung = (silentMs: number): AppError => appError('audio-capture-hung',
  `The audio capture process has not answered for ${Math.round(silentMs / 1000)} s; it will be restarted if it does not recover. The gap will be marked in the protocol.`,
  `Процесс записи звука не отвечает ${Math.round(silentMs / 1000)} с; если он не восстановится, он будет перезапущен. Разрыв будет отмечен в протоколе.`,
  `Дыбыс жазу процесі ${Math.round(silentMs / 1000)} с бойы жауап бермейді; қалпына келмесе, қайта іске қосылады. Үзіліс хаттамада белгіленеді.`);
