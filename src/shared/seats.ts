/** The seats a courtroom microphone can serve, with labels in both languages of proceedings. */
export const SEAT_ROLES = {
  judge: { ru: 'Судья', kk: 'Судья', en: 'Judge' },
  'associate-judge': { ru: 'Судья (член состава)', kk: 'Судья (құрам мүшесі)', en: 'Associate judge' },
  secretary: { ru: 'Секретарь', kk: 'Хатшы', en: 'Secretary' },
  prosecutor: { ru: 'Прокурор', kk: 'Прокурор', en: 'Prosecutor' },
  plaintiff: { ru: 'Истец', kk: 'Талапкер', en: 'Plaintiff' },
  defendant: { ru: 'Ответчик / подсудимый', kk: 'Жауапкер / сотталушы', en: 'Defendant' },
  defence: { ru: 'Защитник', kk: 'Қорғаушы', en: 'Defence counsel' },
  representative: { ru: 'Представитель', kk: 'Өкіл', en: 'Representative' },
  victim: { ru: 'Потерпевший', kk: 'Жәбірленуші', en: 'Victim' },
  witness: { ru: 'Свидетель', kk: 'Куә', en: 'Witness' },
  expert: { ru: 'Эксперт', kk: 'Сарапшы', en: 'Expert' },
  interpreter: { ru: 'Переводчик', kk: 'Аудармашы', en: 'Interpreter' },
  'third-party': { ru: 'Третье лицо', kk: 'Үшінші тұлға', en: 'Third party' },
  room: { ru: 'Зал (общий)', kk: 'Зал (жалпы)', en: 'Room (ambient)' },
  other: { ru: 'Иной участник', kk: 'Басқа қатысушы', en: 'Other participant' },
} as const;

export type SeatRole = keyof typeof SEAT_ROLES;
export const SEAT_ROLE_IDS = Object.keys(SEAT_ROLES) as [SeatRole, ...SeatRole[]];
