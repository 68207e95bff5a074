/**
 * The script tag's parts: files beside it (the languages, the fallback's UI, the redirect's leaving half) that
 * load on first need, each checked against the integrity hash this file was built with, so a page that pins this
 * file with `<script integrity>` pins them too. A part is a classic script added with `integrity`: the browser
 * fetches it, compares its sha384 and runs it only when it matches, in Chromium, Firefox and WebKit alike
 * (a fetch and a SubtleCrypto compare would need eval or a blob: URL to run it, which a strict CSP refuses; a
 * module import cannot carry integrity in every engine). It is found beside this file (its URL, read while this
 * file runs), carries this file's nonce (a nonce-based CSP), goes through a Trusted Types policy named
 * `facesign-verify` where a page enforces them, and hands its exports over under a key only this build knows.
 */
import { KEY, PARTS, shared } from 'virtual:facesign-script-tag';

const script = document.currentScript as HTMLScriptElement | null;
/** the script tag's own URL, while it runs: later, currentScript is another script or none */
const here = script?.src;
const nonce = script?.nonce;
const arrived = new Map<string, unknown>();
const loading = new Map<string, Promise<unknown>>();
(globalThis as Record<symbol, unknown>)[Symbol.for(KEY)] = { shared, arrived: (name: string, m: unknown) => arrived.set(name, m) };

type ScriptUrlPolicy = { createScriptURL(url: string): string };
let policy: ScriptUrlPolicy | undefined;
/** the URL as Trusted Types want it where a page enforces them (the page must allow the policy `facesign-verify`) */
function trusted(url: string): string {
  const tt = (globalThis as { trustedTypes?: { createPolicy(name: string, rules: ScriptUrlPolicy): ScriptUrlPolicy } }).trustedTypes;
  try {
    policy ??= tt?.createPolicy('facesign-verify', { createScriptURL: (u) => u });
  } catch {
    // the page's trusted-types list does not name it: if it enforces them, setting src throws, and the part fails
  }
  return policy ? policy.createScriptURL(url) : url;
}

/** Loads part `name` once (again after a failed load): its exports, or a rejection saying why it is not here. */
export function part<M>(name: string): Promise<M> {
  let p = loading.get(name);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const [file, integrity] = PARTS[name]!;
      if (!here) throw new Error(`${file} cannot be found: this script's own URL is unknown (it was not loaded by a <script src>)`);
      const s = document.createElement('script');
      s.src = trusted(new URL(file, here).href);
      s.integrity = integrity;
      s.crossOrigin = 'anonymous';
      if (nonce) s.nonce = nonce;
      s.onload = () => (
        s.remove(),
        arrived.has(name) ? resolve(arrived.get(name)) : reject(new Error(`${file} ran but is not the part this script expects`))
      );
      s.onerror = () => (
        s.remove(),
        reject(
          new Error(
            `${file} did not load: missing beside the script, refused by the page's Content-Security-Policy, or not the file this script was built with (integrity)`,
          ),
        )
      );
      document.head.append(s);
    });
    loading.set(name, p);
    p.catch(() => loading.delete(name));
  }
  return p as Promise<M>;
}
