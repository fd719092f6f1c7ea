import { initializeWasm } from '@automerge/automerge/slim';
import wasmUrl from '@automerge/automerge/automerge.wasm?url';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppI18n, savedLocale } from './i18n.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/sales.css';
import './styles/checkout.css';
import './styles/records.css';

await initializeWasm(wasmUrl);
const locale = savedLocale();
document.documentElement.lang = locale;
createApp(App).use(createPinia()).use(createAppI18n(locale)).mount('#app');
