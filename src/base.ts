/**
 * A small reactive base for the element, on lit-html: declared properties with attribute conversion and
 * reflection, batched asynchronous updates (willUpdate → render → updated), `updateComplete`, a shadow root with a
 * constructable stylesheet. It is the part of LitElement this element uses, at a fifth of its size: the
 * script-tag build carries its own copy of everything, so every byte here is paid by every merchant page.
 */
import { render, type TemplateResult } from 'lit-html';

export interface PropertyDeclaration {
  /** the attribute name, or false for a property only; default: the property name lower-cased */
  attribute?: string | false;
  type?: NumberConstructor | BooleanConstructor | StringConstructor;
  /** mirror the value to the attribute (booleans) */
  reflect?: boolean;
  /** internal reactive state: no attribute */
  state?: boolean;
}

// Node (SSR) has no HTMLElement: importing must not throw there
const HTMLElementBase = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;
/** attribute name -> property name, per class */
const attributeMaps = new WeakMap<object, Map<string, string>>();
const sheets = new WeakMap<object, CSSStyleSheet>();

export class ReactiveBase extends HTMLElementBase {
  static properties: Record<string, PropertyDeclaration> = {};
  /** CSS text of the shadow root's stylesheet */
  static styles = '';

  /**
   * Creates the accessors of `properties` once and returns the attribute -> property map. Subclasses call it in a
   * static block, so the accessors exist before any instance (React's wrapper looks for them, on the server too).
   */
  static finalize(): Map<string, string> {
    const cls = this;
    let map = attributeMaps.get(cls);
    if (map) return map;
    map = new Map();
    for (const [name, o] of Object.entries(cls.properties)) {
      if (!o.state && o.attribute !== false) map.set(o.attribute || name.toLowerCase(), name);
      // own accessors even where HTMLElement has one (lang): the native one would write the attribute
      if (Object.hasOwn(cls.prototype, name)) continue;
      Object.defineProperty(cls.prototype, name, {
        get(this: ReactiveBase) {
          return this.#values.get(name);
        },
        set(this: ReactiveBase, v: unknown) {
          if (Object.is(this.#values.get(name), v)) return;
          this.#values.set(name, v);
          this.requestUpdate();
        },
        configurable: true,
      });
    }
    attributeMaps.set(cls, map);
    return map;
  }

  static get observedAttributes(): string[] {
    return [...this.finalize()].map(([attr]) => attr);
  }

  readonly renderRoot: ShadowRoot;
  #values = new Map<string, unknown>();
  /** an update is scheduled or running: property changes in willUpdate/render join it */
  #pending = false;
  #done: Promise<unknown> = Promise.resolve();
  #reflecting = false;

  constructor() {
    super();
    const cls = this.constructor as typeof ReactiveBase;
    cls.finalize();
    this.renderRoot = this.attachShadow({ mode: 'open' });
    let sheet = sheets.get(cls);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(cls.styles);
      sheets.set(cls, sheet);
    }
    this.renderRoot.adoptedStyleSheets = [sheet];
    // values set on the instance before the class was defined shadow the accessors: move them behind them
    for (const name of Object.keys(cls.properties)) {
      if (Object.hasOwn(this, name)) {
        const v = (this as Record<string, unknown>)[name];
        delete (this as Record<string, unknown>)[name];
        (this as Record<string, unknown>)[name] = v;
      }
    }
  }

  /** Schedules an update (in a microtask) while connected; a disconnected element updates when it connects. */
  requestUpdate(): void {
    if (this.#pending || !this.isConnected) return;
    this.#pending = true;
    this.#done = Promise.resolve().then(() => this.#update());
  }

  /** Resolves once no update is pending (including updates that `updated()` caused). */
  get updateComplete(): Promise<boolean> {
    return this.#pending ? this.#done.then(() => this.updateComplete) : Promise.resolve(true);
  }

  #update(): void {
    if (!this.#pending) return;
    try {
      this.willUpdate();
      this.#reflect();
      render(this.render(), this.renderRoot, { host: this });
    } finally {
      this.#pending = false;
    }
    this.updated();
  }

  /** Boolean properties with `reflect` mirror to their attribute. */
  #reflect(): void {
    const cls = this.constructor as typeof ReactiveBase;
    this.#reflecting = true;
    for (const [attr, name] of cls.finalize()) if (cls.properties[name]!.reflect) this.toggleAttribute(attr, !!this.#values.get(name));
    this.#reflecting = false;
  }

  attributeChangedCallback(attr: string, _old: string | null, value: string | null): void {
    if (this.#reflecting) return;
    const cls = this.constructor as typeof ReactiveBase;
    const name = cls.finalize().get(attr);
    if (!name) return;
    const type = cls.properties[name]!.type;
    (this as Record<string, unknown>)[name] = type === Boolean ? value !== null : type === Number ? (value === null ? undefined : Number(value)) : value ?? undefined;
  }

  connectedCallback(): void {
    this.requestUpdate();
  }

  disconnectedCallback(): void {}

  /** Before rendering; property changes here join this update. */
  protected willUpdate(): void {}

  protected render(): TemplateResult | unknown {
    return undefined;
  }

  /** After rendering; property changes here schedule another update. */
  protected updated(): void {}
}
