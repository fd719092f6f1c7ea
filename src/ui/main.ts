import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppI18n, savedLocale } from './i18n.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/sales.css';
import './styles/checkout.css';
import './styles/records.css';
import './styles/upload.css';
import './styles/comedores.css';
import './styles/printing.css';
import './styles/drafts.css';

const locale = savedLocale();
document.documentElement.lang = locale;
createApp(App).use(createPinia()).use(createAppI18n(locale)).mount('#app');
// The login screen needs no automerge: its code and wasm load once the screen is up.
setTimeout(() => {
  void import('./live/repo-source.js').then((m) => m.loadAutomerge());
}, 0);
