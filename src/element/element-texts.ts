/**
 * An element's texts in its language: `lang`, then the nearest `lang` attribute (the page's `<html lang>`), then
 * English; read again only when the language or `strings` changed (every update renders).
 */
import { ONE_FILE } from './on-demand/load.js';
import { loadLangs, textsFor, type FaceSignStrings, type FaceSignStringsByLang } from './strings.js';

export interface TextsHost extends HTMLElement {
  strings: FaceSignStringsByLang | undefined;
  requestUpdate(): void;
}

export class ElementTexts {
  #last?: { lang: string; strings: unknown; t: FaceSignStrings };

  constructor(
    private readonly host: TextsHost,
    /** the frame takes its title in the language once it is here */
    private readonly retitle: (title: string) => void,
  ) {}

  lang(): string {
    const h = this.host;
    const l = h.lang || h.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
    return typeof l === 'string' ? l : '';
  }

  get(): FaceSignStrings {
    const lang = this.lang();
    const { host, retitle } = this;
    const last = this.#last;
    if (last?.lang !== lang || last.strings !== host.strings) {
      const { t, pending } = textsFor(lang, host.strings);
      // the translations arrive in a moment (the ESM build loads them on first need): then this renders again
      // in them, and the frame takes its title; meanwhile the loading cover shows no English words. The script tag
      // has them inside, never pending: ONE_FILE lets its bundler drop this
      const waiting = !ONE_FILE && pending;
      if (waiting) void loadLangs().then(() => ((this.#last = undefined), host.requestUpdate()));
      this.#last = { lang, strings: host.strings, t: waiting ? { ...t, loading: '' } : t };
      if (!waiting) retitle(t.frameTitle);
    }
    return this.#last!.t;
  }
}
