// The scratch Vue app's entry, owned by the test (test/e2e/snippets.test.mjs): the template's own main.ts around
// docs/frameworks.md's App, plus a button that re-renders App for a reason unrelated to it.
import { createApp } from 'vue';
import './style.css';
import App from './App.vue';

const app = createApp(App).mount('#app');
let renders = 0;
const button = document.createElement('button');
button.dataset.test = 'rerender';
button.textContent = `re-rendered ${renders}`;
button.onclick = () => {
  app.$forceUpdate();
  button.textContent = `re-rendered ${++renders}`;
};
document.body.prepend(button);
