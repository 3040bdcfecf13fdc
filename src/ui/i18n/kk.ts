import type { Messages } from './en.js';

export const kk: Messages = {
  app: { title: 'АБК АБТ — сот отырыстарын аудио- және бейнежазу', language: 'Интерфейс тілі', offline: 'Жазу қозғалтқышымен байланыс жоқ. Қозғалтқышта жазба жалғасуда; қайта қосылуда…', signInFailed: 'Бұл терезе қозғалтқышқа қосылмаған. «abk serve» шығарған мекенжайды ашыңыз.' },
  nav: { sitting: 'Отырыс', precheck: 'Тексеру', console: 'Жазба', library: 'Мұрағат', player: 'Ойнатқыш', settings: 'Баптаулар' },
  common: { save: 'Сақтау', cancel: 'Болдырмау', add: 'Қосу', remove: 'Жою', yes: 'Иә', no: 'Жоқ', none: '—', loading: 'Жүктелуде…', acknowledge: 'Түсінікті', error: 'Қате' },
  form: {
    title: 'Отырыс туралы мәліметтер', drafts: 'Жобалар', noDrafts: 'Жобалар жоқ', resume: 'Жалғастыру', saveDraft: 'Жобаны сақтау', draftSaved: 'Жоба сақталды', open: 'Отырысты ашу',
    caseNumber: 'Іс нөмірі', caseCategory: 'Санаты', description: 'Істің мәні', court: 'Сот', city: 'Қала', courtroom: 'Зал',
    language: 'Сот ісін жүргізу тілі (хаттама)', presidingJudge: 'Төрағалық етуші', judges: 'Басқа судьялар (әр жолға біреу)', secretary: 'Хатшы', interpreter: 'Аудармашы',
    participants: 'Қатысушылар', name: 'Аты-жөні', role: 'Рөлі', seat: 'Микрофон', sameAsRole: 'рөлі бойынша', attendance: 'Қатысуы',
    present: 'қатысады', absent: 'қатыспайды', remote: 'бейнебайланыс арқылы', evidence: 'Дәлелдемелер', evidenceTitle: 'Атауы', presentedBy: 'Кім ұсынды',
    invalid: 'Белгіленген өрістерді түзетіңіз', required: 'Бұл өрісті толтырыңыз', badValue: 'Бұл мән жарамсыз', opened: 'Отырыс ашылды: {{base}}',
  },
  precheck: {
    title: 'Отырыс алдындағы тексеру', microphones: 'Микрофондар', camera: 'Камера', noCamera: 'Камера бапталмаған', cameraDown: 'Камерадан сурет жоқ',
    disk: 'Диск', hoursLeft: '{{hours}} сағ жазба қалды ({{free}} ГБ бос)', diskLow: 'Дискіде орын аз: ұзақ отырыс алдында орын босатыңыз.', diskFull: 'Диск толы: жазу мүмкін емес.',
    servers: 'Өңірлік серверлер', noServers: 'Серверлер бапталмаған', reachable: 'қолжетімді', unreachable: 'қолжетімсіз', silent: 'сигнал жоқ',
    allGood: 'Бәрі дайын', problems: 'Ақаулар', start: 'Жазуды бастау', continue: 'Отырысты жалғастыру (үзіліс хаттамада көрсетіледі)', finished: 'Отырыс аяқталды; жазу үшін жаңасын ашыңыз.', noSitting: 'Алдымен отырысты ашыңыз («Отырыс» қойындысы).', for: 'Отырыс',
  },
  console: {
    noSitting: 'Жазба жүріп жатқан жоқ. Отырысты ашып, тексеру қойындысынан жазуды бастаңыз.', record: 'Жазу', pause: 'Үзіліс', resume: 'Жалғастыру', stop: 'Тоқтату',
    confirmStop: 'Жазбаны тоқтатып, отырысты аяқтау керек пе?', elapsed: 'Уақыт', floor: 'Сөз беру', actions: 'Оқиғалар',
    break: 'Үзіліс', breakEnd: 'Үзілістен кейін жалғастыру', deliberation: 'Кеңесу бөлмесі', return: 'Кеңесу бөлмесінен оралу', decision: 'Жариялау', evidence: 'Дәлелдеме зерттелді',
    note: 'Ескертпе', notePlaceholder: 'Ескертпені жазып, Enter басыңыз', marks: 'Белгілер', finalizing: 'Файлдар дайындалуда', finalized: 'Отырыс аяқталды: файлдар, бақылау сомалары және хаттама дайын.',
    finalizeFailed: 'Аяқтау сәтсіз болды', evidencePrompt: 'Қандай дәлелдеме?', state: 'Күйі', paused: 'ҮЗІЛІС', recording: 'ЖАЗЫЛУДА', play: 'Ойнатқышта ашу', keysHint: 'Пернелер',
  },
  library: { title: 'Отырыстар', search: 'Іс нөмірі, аты-жөні, зал…', from: 'Бастап', to: 'Дейін', courtroom: 'Зал', date: 'Күні', case: 'Іс', judge: 'Судья', state: 'Күйі', copies: 'Сервердегі көшірмелер', files: 'Файлдар', empty: 'Отырыстар табылмады', play: 'Тыңдау', continue: 'Жазуды жалғастыру', size: 'Өлшемі',
    integrity: 'Тұтастығы', verified: 'тексерілді ✓', changed: 'өзгертілген ✗', checking: 'тексерілуде {{pct}} %', unchecked: 'тексерілмеген', verify: 'Тексеру', verifying: 'Тексерілуде… {{pct}} %',
    byReadBack: 'аяқталғаннан кейін қайта оқылды, {{at}}', byVerify: 'тексерілді {{at}}', findings: 'Мөрленген манифестпен не сәйкес емес',
    integrityWhat: { changed: 'өзгертілген', truncated: 'қысқартылған', missing: 'жоқ', added: 'қосылған (манифестте жоқ)', renamed: 'атауы өзгертілген', 'seal-invalid': 'мөр манифестке сәйкес емес', 'seal-missing': 'мөр жоқ', 'seal-untrusted': 'сенімсіз кілтпен мөрленген', 'timestamp-invalid': 'уақыт белгісі бұл мөрге қатысты емес', 'timestamp-missing': 'уақыт белгісі жоқ', 'sums-disagree': 'MD5SUMS/SHA256SUMS манифестпен сәйкес емес', 'revision-missing': 'манифесттің бұрынғы редакциясы жоқ', 'revision-changed': 'манифесттің бұрынғы редакциясы өзгертілген', 'manifest-invalid': 'манифест оқылмайды', 'manifest-missing': 'манифест жоқ' },
  },
  states: { draft: 'жоба', ready: 'дайын', recording: 'жазылуда', paused: 'үзіліс', finalizing: 'аяқталуда', finalized: 'аяқталды', interrupted: 'үзілді' },
  marks: { floor: 'Сөз', break: 'Үзіліс', resume: 'Жалғасты', deliberation: 'Кеңесу бөлмесі', return: 'Оралу', decision: 'Жариялау', evidence: 'Дәлелдеме', note: 'Ескертпе' },
  player: {
    participant: 'Қатысушы', previous: 'Алдыңғы', next: 'Келесі', 
    title: 'Ойнатқыш', making: 'Жазба тыңдауға дайындалуда', failed: 'Жазбаны дайындау мүмкін болмады', play: 'Тыңдау', pause: 'Үзіліс', speed: 'Жылдамдық', mix: 'Барлық микрофон',
    solo: 'Жеке', mute: 'Өшіру', volume: 'Дыбыс', marks: 'Белгілер', back: '−5 с', forward: '+5 с', shortcuts: 'Бос орын — ойнату/үзіліс · ←/→ 5 с · 1–9 жеке · 0 барлығы · [ ] жылдамдық', choose: 'Мұрағаттан отырысты таңдаңыз.',
  },
  medium: {
    open: 'Қалтаны ашу', openHint: 'Әр микрофонды жеке тыңдау және көшірмені тексеру үшін «Қалтаны ашу» батырмасын басып, осы дискінің (жинақтауыштың) түбірлік қалтасын таңдаңыз. Жалпы жазба қазір ойнап тұр.',
    opened: 'Қалта ашылды: әр микрофонды жеке тыңдауға болады.', wrongFolder: 'Бұл осы тасығыштың қалтасы емес: ABK-Player.html жатқан қалтаны таңдаңыз.',
    verify: 'Көшірмені тексеру', verifying: 'Тексерілуде', ok: 'Көшірме бүтін: әр файл MD5 және SHA-256 бойынша сәйкес', bad: 'Көшірме бүтін ЕМЕС', manifest: 'Манифесттің SHA-256 (хаттамамен салыстырыңыз)',
    changed: 'өзгерген', missing: 'жоқ', added: 'қосылған (тізімде жоқ)', sitting: 'Отырыс', noIndex: 'Бұл файлдың жанында abk-medium.js жоқ: бұл ABK ABT тасығышы емес немесе толық көшірілмеген.', derived: 'Тыңдауға арналған көшірме, түпнұсқадан жасалған', disc: 'Диск', throughput: 'МБ/с',
  },
  settings: {
    title: 'Баптаулар (IT қызметі)', password: 'IT құпиясөзі', unlock: 'Ашу', locked: 'Баптаулар құпиясөзбен қорғалған.', channels: 'Микрофон арналары', device: 'Құрылғы', channel: 'Арна',
    label: 'Жазба', cameras: 'Камералар', servers: 'Серверлер', host: 'Мекенжай', port: 'Порт', user: 'Пайдаланушы', remoteRoot: 'Сервердегі қалта', templates: 'Хаттама үлгілерінің қалтасы',
    disk: 'Диск: ескерту / тоқтату шегі (МиБ)', advanced: 'Барлық баптаулар (JSON)', saved: 'Баптаулар сақталды', meter: 'Деңгей', source: 'Дереккөз',
  },
  alarm: { title: 'Назар аударыңыз' },
};
