// The scratch React app's entry, owned by the test (test/e2e/snippets.test.mjs): the template's own main.tsx
// (StrictMode, createRoot) around docs/frameworks.md's App, plus a button that re-renders App for a reason unrelated to it.
import { StrictMode, useReducer } from 'react';
import { createRoot } from 'react-dom/client';
import './index.css';
import App from './App.tsx';

function Harness() {
  const [renders, rerender] = useReducer((n: number) => n + 1, 0);
  return (
    <>
      <button data-test="rerender" onClick={rerender}>
        re-rendered {renders}
      </button>
      <App />
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
