'use client';

// the test's page: docs/frameworks.md's component, and a button that re-renders the page around it
import { useEffect, useState } from 'react';
import Verify from './verify';

export default function Page() {
  const [renders, setRenders] = useState(0);
  // hydrated: the test clicks only then (a click before hydration reaches no handler)
  useEffect(() => void (document.documentElement.dataset.hydrated = ''), []);
  return (
    <main>
      <Verify />
      <button onClick={() => setRenders((n) => n + 1)}>re-rendered {renders}</button>
    </main>
  );
}
