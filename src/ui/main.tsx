import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { signIn } from './api-client.js';
import { App } from './App.js';
import { initI18n } from './i18n/index.js';

// the page's Content-Security-Policy forbids eval: zod checks forms without compiling code
zodConfig({ jitless: true });
const i18n = initI18n();
const root = createRoot(document.getElementById('root')!);
void signIn().then((ok) => {
  root.render(ok ? <StrictMode><App /></StrictMode> : <p className="alarm">{i18n.t('app.signInFailed')}</p>);
});
