import { initializeWasm } from '@automerge/automerge/slim';
import wasmUrl from '@automerge/automerge/automerge.wasm?url';
import { createApp } from 'vue';
import App from './App.vue';

await initializeWasm(wasmUrl);
createApp(App).mount('#app');
