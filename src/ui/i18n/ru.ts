import type { Messages } from './en.js';

export const ru: Messages = {
  app: { title: 'АБК АБТ — аудио- и видеозапись заседаний', language: 'Язык интерфейса', offline: 'Нет связи с движком записи. Запись в движке продолжается; переподключение…', signInFailed: 'Это окно не подключено к движку. Откройте адрес, который вывел «abk serve».' },
  nav: { sitting: 'Заседание', precheck: 'Проверка', console: 'Запись', library: 'Архив', player: 'Проигрыватель', settings: 'Настройки' },
  common: { save: 'Сохранить', cancel: 'Отмена', add: 'Добавить', remove: 'Удалить', yes: 'Да', no: 'Нет', none: '—', loading: 'Загрузка…', acknowledge: 'Понятно', error: 'Ошибка' },
  form: {
    title: 'Сведения о заседании', drafts: 'Черновики', noDrafts: 'Черновиков нет', resume: 'Продолжить', saveDraft: 'Сохранить черновик', draftSaved: 'Черновик сохранён', open: 'Открыть заседание',
    caseNumber: 'Номер дела', caseCategory: 'Категория', description: 'Суть дела', court: 'Суд', city: 'Город', courtroom: 'Зал',
    language: 'Язык судопроизводства (протокола)', presidingJudge: 'Председательствующий', judges: 'Другие судьи (по одному в строке)', secretary: 'Секретарь', interpreter: 'Переводчик',
    participants: 'Участники', name: 'ФИО', role: 'Роль', seat: 'Микрофон', sameAsRole: 'по роли', attendance: 'Явка',
    present: 'присутствует', absent: 'отсутствует', remote: 'по видеосвязи', evidence: 'Доказательства', evidenceTitle: 'Наименование', presentedBy: 'Кем представлено',
    invalid: 'Исправьте отмеченные поля', required: 'Заполните это поле', badValue: 'Недопустимое значение', opened: 'Заседание открыто: {{base}}',
  },
  precheck: {
    title: 'Проверка перед заседанием', microphones: 'Микрофоны', camera: 'Камера', noCamera: 'Камера не настроена', cameraDown: 'Нет изображения с камеры',
    disk: 'Диск', hoursLeft: 'Осталось {{hours}} ч записи (свободно {{free}} ГБ)', diskLow: 'Мало места на диске: освободите место перед длительным заседанием.', diskFull: 'Диск заполнен: запись невозможна.',
    servers: 'Региональные серверы', noServers: 'Серверы не настроены', reachable: 'доступен', unreachable: 'недоступен', silent: 'нет сигнала',
    allGood: 'Всё готово', problems: 'Неполадки', start: 'Начать запись', continue: 'Продолжить заседание (разрыв будет указан в протоколе)', finished: 'Заседание завершено; чтобы записывать, откройте новое.', noSitting: 'Сначала откройте заседание (вкладка «Заседание»).', for: 'Заседание',
  },
  console: {
    noSitting: 'Запись не идёт. Откройте заседание и начните запись на вкладке проверки.', record: 'Запись', pause: 'Пауза', resume: 'Продолжить', stop: 'Стоп',
    confirmStop: 'Остановить запись и завершить заседание?', elapsed: 'Время', floor: 'Предоставить слово', actions: 'События',
    break: 'Перерыв', breakEnd: 'Продолжить после перерыва', deliberation: 'Совещательная комната', return: 'Возвращение из совещательной', decision: 'Оглашение', evidence: 'Исследовано доказательство',
    note: 'Заметка', notePlaceholder: 'Введите заметку и нажмите Enter', marks: 'Отметки', finalizing: 'Подготовка файлов', finalized: 'Заседание завершено: файлы, контрольные суммы и протокол готовы.',
    finalizeFailed: 'Завершение не удалось', evidencePrompt: 'Какое доказательство?', state: 'Состояние', paused: 'ПАУЗА', recording: 'ИДЁТ ЗАПИСЬ', play: 'Открыть в проигрывателе', keysHint: 'Клавиши',
  },
  library: { title: 'Заседания', search: 'Номер дела, ФИО, зал…', from: 'С', to: 'По', courtroom: 'Зал', date: 'Дата', case: 'Дело', judge: 'Судья', state: 'Состояние', copies: 'Копии на серверах', files: 'Файлы', empty: 'Заседания не найдены', play: 'Слушать', continue: 'Продолжить запись', size: 'Размер',
    integrity: 'Целостность', verified: 'проверено ✓', changed: 'изменено ✗', checking: 'проверка {{pct}} %', unchecked: 'не проверено', verify: 'Проверить', verifying: 'Проверка… {{pct}} %',
    byReadBack: 'прочитано после завершения, {{at}}', byVerify: 'проверено {{at}}', findings: 'Что не совпадает с опечатанным манифестом',
    integrityWhat: { changed: 'изменён', truncated: 'укорочен', missing: 'отсутствует', added: 'добавлен (нет в манифесте)', renamed: 'переименован', 'seal-invalid': 'печать не соответствует манифесту', 'seal-missing': 'нет печати', 'seal-untrusted': 'опечатан недоверенным ключом', 'timestamp-invalid': 'метка времени не относится к этой печати', 'timestamp-missing': 'нет метки времени', 'sums-disagree': 'MD5SUMS/SHA256SUMS расходятся с манифестом', 'revision-missing': 'нет прежней редакции манифеста', 'revision-changed': 'прежняя редакция манифеста изменена', 'manifest-invalid': 'манифест не читается', 'manifest-missing': 'нет манифеста' },
  },
  states: { draft: 'черновик', ready: 'готово', recording: 'запись', paused: 'пауза', finalizing: 'завершается', finalized: 'завершено', interrupted: 'прервано' },
  marks: { floor: 'Слово', break: 'Перерыв', resume: 'Продолжение', deliberation: 'Совещательная комната', return: 'Возвращение', decision: 'Оглашение', evidence: 'Доказательство', note: 'Заметка' },
  player: {
    title: 'Проигрыватель', making: 'Запись готовится к прослушиванию', failed: 'Не удалось подготовить запись', play: 'Слушать', pause: 'Пауза', speed: 'Скорость', mix: 'Все микрофоны',
    solo: 'Соло', mute: 'Выкл.', volume: 'Громкость', marks: 'Отметки', back: '−5 с', forward: '+5 с', shortcuts: 'Пробел — пуск/пауза · ←/→ 5 с · 1–9 соло · 0 все · [ ] скорость', choose: 'Выберите заседание в архиве.',
  },
  settings: {
    title: 'Настройки (ИТ-служба)', password: 'Пароль ИТ-службы', unlock: 'Открыть', locked: 'Настройки защищены паролем.', channels: 'Каналы микрофонов', device: 'Устройство', channel: 'Канал',
    label: 'Подпись', cameras: 'Камеры', servers: 'Серверы', host: 'Адрес', port: 'Порт', user: 'Пользователь', remoteRoot: 'Папка на сервере', templates: 'Папка шаблонов протокола',
    disk: 'Диск: предупреждать ниже / остановить ниже (МиБ)', advanced: 'Все настройки (JSON)', saved: 'Настройки сохранены', meter: 'Уровень', source: 'Источник',
  },
  alarm: { title: 'Внимание' },
};
