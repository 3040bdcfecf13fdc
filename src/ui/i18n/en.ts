/** English: the reference set of keys; ru.ts and kk.ts must have every one (test/unit/i18n.test.ts). */
export const en = {
  app: { title: 'ABK ABT — courtroom recording', language: 'Interface language', offline: 'No connection to the recording engine. Recording continues in the engine; reconnecting…', signInFailed: 'This window is not signed in to the engine. Open the address that "abk serve" printed.' },
  nav: { sitting: 'Sitting', precheck: 'Pre-session check', console: 'Recording', library: 'Library', player: 'Player', settings: 'Settings' },
  common: { save: 'Save', cancel: 'Cancel', add: 'Add', remove: 'Remove', yes: 'Yes', no: 'No', none: '—', loading: 'Loading…', acknowledge: 'Got it', error: 'Error' },
  form: {
    title: 'Sitting details', drafts: 'Drafts', noDrafts: 'No drafts', resume: 'Continue', saveDraft: 'Save draft', draftSaved: 'Draft saved', open: 'Open the sitting',
    caseNumber: 'Case number', caseCategory: 'Category', description: 'Subject of the case', court: 'Court', city: 'City', courtroom: 'Courtroom',
    language: 'Language of proceedings (protocol)', presidingJudge: 'Presiding judge', judges: 'Other judges (one per line)', secretary: 'Secretary', interpreter: 'Interpreter',
    participants: 'Participants', name: 'Full name', role: 'Role', seat: 'Microphone seat', sameAsRole: 'as the role', attendance: 'Attendance',
    present: 'present', absent: 'absent', remote: 'by video link', evidence: 'Evidence', evidenceTitle: 'Item', presentedBy: 'Presented by',
    invalid: 'Please correct the highlighted fields', required: 'Fill in this field', badValue: 'This value is not accepted', opened: 'Sitting opened: {{base}}',
  },
  health: { ok: 'RECORDING OK', bad: 'PROBLEMS: {{count}}', disk: 'Disk: {{hours}} h of recording left', backlog: 'not yet on the servers: {{hours}} h', cpu: 'capture {{pct}} % CPU' },
  precheck: {
    unused: 'not used in this sitting', pass: 'signal', fail: 'no signal yet', unusedHint: 'Tick the seats nobody uses today: they are still recorded, but not watched, and the protocol says so.',
    title: 'Pre-session check', microphones: 'Microphones', camera: 'Camera', noCamera: 'No camera configured', cameraDown: 'No picture from the camera',
    disk: 'Disk', hoursLeft: '{{hours}} h of recording left ({{free}} GB free)', diskLow: 'Little disk space left: free space before a long sitting.', diskFull: 'The disk is full: recording is impossible.',
    servers: 'Regional servers', noServers: 'No servers configured', reachable: 'reachable', unreachable: 'not reachable', silent: 'no signal',
    allGood: 'Everything is ready', problems: 'Problems', start: 'Start recording', continue: 'Continue the sitting (the gap goes into the protocol)', finished: 'This sitting is finished; open a new one to record.', noSitting: 'Open a sitting first (Sitting tab).', for: 'Sitting',
  },
  console: {
    noSitting: 'No sitting is being recorded. Open one and start it from the pre-session check.', record: 'Record', pause: 'Pause', resume: 'Resume', stop: 'Stop',
    confirmStop: 'Stop the recording and finish the sitting?', elapsed: 'Elapsed', floor: 'Give the floor', actions: 'Events',
    break: 'Break', breakEnd: 'Resume after break', deliberation: 'Deliberation room', return: 'Return from deliberation', decision: 'Announcement', evidence: 'Evidence presented',
    markSaving: 'saving…', markFailed: 'NOT SAVED', markRetry: 'Retry', 
    note: 'Note', notePlaceholder: 'Type a note and press Enter', marks: 'Marks', finalizing: 'Finishing the files', finalized: 'The sitting is finished: files, checksums and protocol are ready.',
    finalizeFailed: 'Finishing failed', evidencePrompt: 'Which evidence?', state: 'State', paused: 'PAUSED', recording: 'RECORDING', play: 'Open in player', keysHint: 'Keys',
  },
  library: { title: 'Sittings', search: 'Case number, name, courtroom…', from: 'From', to: 'To', courtroom: 'Courtroom', date: 'Date', case: 'Case', judge: 'Judge', state: 'State', copies: 'Server copies', files: 'Files', empty: 'No sittings found', play: 'Play', continue: 'Continue recording', size: 'Size',
    integrity: 'Integrity', verified: 'verified ✓', changed: 'changed ✗', checking: 'checking {{pct}} %', unchecked: 'not checked', verify: 'Verify', verifying: 'Verifying… {{pct}} %',
    byReadBack: 'read back after finishing, {{at}}', byVerify: 'verified {{at}}', findings: 'What differs from the sealed manifest',
    integrityWhat: { changed: 'changed', truncated: 'truncated', missing: 'missing', added: 'added (not in the manifest)', renamed: 'renamed', 'seal-invalid': 'the seal does not match the manifest', 'seal-missing': 'no seal', 'seal-untrusted': 'sealed by an untrusted key', 'timestamp-invalid': 'the timestamp is not over this seal', 'timestamp-missing': 'no timestamp', 'sums-disagree': 'MD5SUMS/SHA256SUMS differ from the manifest', 'revision-missing': 'an earlier manifest revision is missing', 'revision-changed': 'an earlier manifest revision was changed', 'manifest-invalid': 'the manifest cannot be read', 'manifest-missing': 'no manifest' },
  },
  write: {
    listening: 'A listening copy instead (the mix, the A/V file, the protocol, each microphone as MP3: smaller, derived from the originals)', files: 'files', button: 'Write to disc / USB', title: 'Write to disc or USB stick', locked: 'Writing copies is for IT staff: unlock the Settings with the IT password first.', sittings: 'Sittings of this case on the medium',
    size: 'Size', largest: 'largest file', fits: 'fits', notFits: 'does not fit', target: 'Where', otherFolder: 'Another folder (a stick mounted elsewhere)…', folderPath: 'Folder',
    free: 'free', fat: 'FAT32: no file of 4 GiB or more', insertDisc: 'insert a blank disc', start: 'Write and check', stages: { preparing: 'Preparing', writing: 'Writing', checking: 'Reading back and checking' },
    left: 'about {{s}} s left', done: 'Written and read back: every file matches the sealed manifest', eject: 'Eject the stick safely before you pull it out.', failed: 'Not written', issued: 'Copies issued', close: 'Close',
  },
  states: { draft: 'draft', ready: 'ready', recording: 'recording', paused: 'paused', finalizing: 'finishing', finalized: 'finished', interrupted: 'interrupted' },
  marks: { floor: 'Floor', break: 'Break', resume: 'Resumed', deliberation: 'Deliberation room', return: 'Returned', decision: 'Announcement', evidence: 'Evidence', note: 'Note' },
  player: {
    participant: 'Participant', previous: 'Previous', next: 'Next', 
    title: 'Player', making: 'Preparing the recording for listening', failed: 'The recording could not be prepared', play: 'Play', pause: 'Pause', speed: 'Speed', mix: 'All microphones',
    solo: 'Solo', mute: 'Mute', volume: 'Volume', marks: 'Marks', back: '−5 s', forward: '+5 s', shortcuts: 'Space play/pause · ←/→ 5 s · 1–9 solo · 0 all · [ ] speed', choose: 'Choose a sitting in the Library.',
  },
  medium: {
    seal: 'Seal', seal_valid: 'valid over this manifest', seal_invalid: 'DOES NOT HOLD', seal_unsupported: 'cannot be checked here (check it with abk verify)', sealMissing: 'none on this medium', signer: 'signer\'s certificate SHA-256 (compare with the protocol)', open: 'Open the folder', openHint: 'To hear each microphone alone and to verify this copy, press "Open the folder" and choose this disc\'s (or stick\'s) root folder. The mix plays already.',
    opened: 'Folder opened: each microphone can be played alone.', wrongFolder: 'This folder is not this medium: choose the folder that holds ABK-Player.html.',
    verify: 'Verify this copy', verifying: 'Verifying', ok: 'The copy is whole: every file matches its MD5 and SHA-256', bad: 'The copy is NOT whole', manifest: 'Manifest SHA-256 (compare with the protocol)',
    changed: 'changed', missing: 'missing', added: 'added (not in the index)', sitting: 'Sitting', noIndex: 'abk-medium.js is missing next to this file: this is not an ABK ABT medium, or it was copied incompletely.', derived: 'Listening copy, derived from the originals', disc: 'Disc', throughput: 'MB/s',
  },
  settings: {
    title: 'Settings (IT staff)', password: 'IT password', unlock: 'Unlock', locked: 'The settings are protected.', channels: 'Microphone channels', device: 'Device', channel: 'Channel',
    label: 'Label', cameras: 'Cameras', servers: 'Servers', host: 'Host', port: 'Port', user: 'User', remoteRoot: 'Remote folder', templates: 'Protocol templates folder',
    disk: 'Disk: warn below / stop below (MiB)', advanced: 'All settings (JSON)', saved: 'Settings saved', meter: 'Level', source: 'Source',
  },
  alarm: { title: 'Attention' },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Messages = Shape<typeof en>;
