import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Draft, SittingDetail } from '../../shared/api/contract.js';
import { SEAT_ROLE_IDS } from '../../shared/seats.js';
import { sittingFieldsSchema } from '../../shared/sitting.js';
import { call } from '../api-client.js';
import { fmtWall, useErrorText, useSeatLabel } from '../components/common.js';

interface Participant { name: string; role: string; seat: string; attendance: string }
interface Form {
  caseNumber: string; caseCategory: string; description: string; court: string; city: string; courtroom: string; language: 'kk' | 'ru';
  presidingJudge: string; judges: string; secretary: string; interpreter: string; participants: Participant[]; evidence: { title: string; presentedBy: string }[];
}

const PLACE_KEY = 'abk.lastPlace';
const empty = (): Form => {
  const place = JSON.parse(localStorage.getItem(PLACE_KEY) ?? '{}') as Partial<Form>;
  return {
    caseNumber: '', caseCategory: '', description: '', court: place.court ?? '', city: place.city ?? '', courtroom: place.courtroom ?? '', language: 'kk',
    presidingJudge: '', judges: '', secretary: place.secretary ?? '', interpreter: '', participants: [], evidence: [],
  };
};

/** The form as the engine's fields: empty optional fields left out, judges one per line. */
function toFields(f: Form): Record<string, unknown> {
  const opt = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);
  return {
    caseNumber: f.caseNumber, caseCategory: opt(f.caseCategory), description: opt(f.description), court: f.court, city: f.city, courtroom: f.courtroom,
    language: f.language, presidingJudge: f.presidingJudge, judges: f.judges.split('\n').map((j) => j.trim()).filter(Boolean), secretary: f.secretary,
    interpreter: opt(f.interpreter),
    participants: f.participants.map((p) => ({ name: p.name, role: p.role, ...(p.seat ? { seat: p.seat } : {}), attendance: p.attendance })),
    evidence: f.evidence.map((e) => ({ title: e.title, ...(e.presentedBy.trim() ? { presentedBy: e.presentedBy } : {}) })),
  };
}

function fromFields(x: Record<string, unknown>): Form {
  const f = { ...empty(), ...(x as Partial<Form>) };
  return {
    ...f, judges: Array.isArray(x.judges) ? (x.judges as string[]).join('\n') : '', caseCategory: String(x.caseCategory ?? ''), description: String(x.description ?? ''),
    interpreter: String(x.interpreter ?? ''),
    participants: ((x.participants as Partial<Participant>[] | undefined) ?? []).map((p) => ({ name: p.name ?? '', role: p.role ?? 'other', seat: p.seat ?? '', attendance: p.attendance ?? 'present' })),
    evidence: ((x.evidence as { title?: string; presentedBy?: string }[] | undefined) ?? []).map((e) => ({ title: e.title ?? '', presentedBy: e.presentedBy ?? '' })),
  };
}

/** The sitting form: every field of the protocol, participants with role and seat, evidence; drafts to pick up later. */
export function SittingForm({ onOpened }: { onOpened: (s: SittingDetail) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const seatLabel = useSeatLabel();
  const errorText = useErrorText();
  const [form, setForm] = useState<Form>(empty);
  const [draftId, setDraftId] = useState<number | undefined>();
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const reload = (): void => void call('drafts/list', {}).then(setDrafts, () => undefined);
  useEffect(reload, []);

  const set = <K extends keyof Form>(k: K, v: Form[K]): void => setForm((f) => ({ ...f, [k]: v }));
  const setP = (i: number, p: Partial<Participant>): void => set('participants', form.participants.map((x, j) => (j === i ? { ...x, ...p } : x)));
  const field = (k: 'caseNumber' | 'caseCategory' | 'description' | 'court' | 'city' | 'courtroom' | 'presidingJudge' | 'secretary' | 'interpreter', required = false): React.JSX.Element => (
    <label className={errors[k] ? 'field invalid' : 'field'}>
      <span>{t(`form.${k}`)}{required ? ' *' : ''}</span>
      <input name={k} value={form[k]} onChange={(e) => set(k, e.target.value)} aria-invalid={Boolean(errors[k])} />
      {errors[k] && <small>{errors[k]}</small>}
    </label>
  );

  const saveDraft = async (): Promise<void> => {
    const d = await call('drafts/save', { ...(draftId ? { id: draftId } : {}), fields: toFields(form) });
    setDraftId(d.id);
    setMessage(t('form.draftSaved'));
    reload();
  };

  const open = async (): Promise<void> => {
    const parsed = sittingFieldsSchema.safeParse(toFields(form));
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.code === 'too_small' ? t('form.required') : t('form.badValue')])));
      setMessage(t('form.invalid'));
      return;
    }
    setErrors({});
    try {
      const s = await call('sittings/open', { ...(draftId ? { draftId } : {}), fields: parsed.data });
      localStorage.setItem(PLACE_KEY, JSON.stringify({ court: form.court, city: form.city, courtroom: form.courtroom, secretary: form.secretary }));
      setMessage(t('form.opened', { base: s.base }));
      onOpened(s);
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <div className="screen form-screen">
      <aside className="drafts">
        <h3>{t('form.drafts')}</h3>
        {drafts.length === 0 && <p>{t('form.noDrafts')}</p>}
        {drafts.map((d) => (
          <button key={d.id} className="draft" onClick={() => { setForm(fromFields(d.fields)); setDraftId(d.id); }}>
            {String(d.fields.caseNumber ?? '') || `#${d.id}`} · {fmtWall(d.updatedMs)}
          </button>
        ))}
      </aside>
      <form className="sitting-form" onSubmit={(e) => { e.preventDefault(); void open(); }}>
        <h2>{t('form.title')}</h2>
        <div className="grid">
          {field('caseNumber', true)}{field('caseCategory')}{field('court', true)}{field('city', true)}{field('courtroom', true)}
          <label className="field"><span>{t('form.language')} *</span>
            <select name="language" value={form.language} onChange={(e) => set('language', e.target.value as 'kk' | 'ru')}>
              <option value="kk">Қазақ тілі</option><option value="ru">Русский язык</option>
            </select>
          </label>
          {field('presidingJudge', true)}{field('secretary', true)}{field('interpreter')}
          <label className="field"><span>{t('form.judges')}</span><textarea name="judges" rows={2} value={form.judges} onChange={(e) => set('judges', e.target.value)} /></label>
          <label className="field wide"><span>{t('form.description')}</span><textarea name="description" rows={2} value={form.description} onChange={(e) => set('description', e.target.value)} /></label>
        </div>
        <h3>{t('form.participants')}</h3>
        <table className="rows">
          <thead><tr><th>{t('form.name')}</th><th>{t('form.role')}</th><th>{t('form.seat')}</th><th>{t('form.attendance')}</th><th /></tr></thead>
          <tbody>
            {form.participants.map((p, i) => (
              <tr key={i} className={errors[`participants.${i}.name`] ? 'invalid' : ''}>
                <td><input name={`participant-${i}-name`} value={p.name} onChange={(e) => setP(i, { name: e.target.value })} /></td>
                <td><select name={`participant-${i}-role`} value={p.role} onChange={(e) => setP(i, { role: e.target.value })}>{SEAT_ROLE_IDS.map((r) => <option key={r} value={r}>{seatLabel(r)}</option>)}</select></td>
                <td><select value={p.seat} onChange={(e) => setP(i, { seat: e.target.value })}><option value="">{t('form.sameAsRole')}</option>{SEAT_ROLE_IDS.map((r) => <option key={r} value={r}>{seatLabel(r)}</option>)}</select></td>
                <td><select value={p.attendance} onChange={(e) => setP(i, { attendance: e.target.value })}>{(['present', 'absent', 'remote'] as const).map((a) => <option key={a} value={a}>{t(`form.${a}`)}</option>)}</select></td>
                <td><button type="button" onClick={() => set('participants', form.participants.filter((_, j) => j !== i))}>{t('common.remove')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" name="add-participant" onClick={() => set('participants', [...form.participants, { name: '', role: 'plaintiff', seat: '', attendance: 'present' }])}>{t('common.add')}</button>
        <h3>{t('form.evidence')}</h3>
        {form.evidence.map((e, i) => (
          <div key={i} className="row">
            <input placeholder={t('form.evidenceTitle')} value={e.title} onChange={(x) => set('evidence', form.evidence.map((y, j) => (j === i ? { ...y, title: x.target.value } : y)))} />
            <input placeholder={t('form.presentedBy')} value={e.presentedBy} onChange={(x) => set('evidence', form.evidence.map((y, j) => (j === i ? { ...y, presentedBy: x.target.value } : y)))} />
            <button type="button" onClick={() => set('evidence', form.evidence.filter((_, j) => j !== i))}>{t('common.remove')}</button>
          </div>
        ))}
        <button type="button" onClick={() => set('evidence', [...form.evidence, { title: '', presentedBy: '' }])}>{t('common.add')}</button>
        <div className="actions">
          <button type="button" name="save-draft" onClick={() => void saveDraft().catch((e: unknown) => setMessage(errorText(e)))}>{t('form.saveDraft')}</button>
          <button type="submit" name="open-sitting" className="primary">{t('form.open')}</button>
          <span className="message" data-testid="form-message">{message}</span>
        </div>
      </form>
    </div>
  );
}
