// custom-elements.json (what IDEs, Storybook and wrapper generators read) against what the element really is: the
// events it dispatches (every `emit` in src, typed by FaceSignEventMap), the attributes and properties Lit declares
// on the built class, its public methods; and the reference's attribute table and events list (docs/element.md)
// against the same.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f) => readFileSync(path.join(root, f), 'utf8');
const sorted = (xs) => [...new Set(xs)].sort();

/** every .ts file under src, with its text */
const sources = (dir = 'src') =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(`${dir}/${d.name}`) : d.name.endsWith('.ts') ? [[`${dir}/${d.name}`, read(`${dir}/${d.name}`)]] : [],
  );

describe('custom-elements.json and the reference say what the element is', () => {
  let el;
  let Element;
  before(async () => {
    if (!existsSync(path.join(root, 'dist/element.js')) || !existsSync(path.join(root, 'custom-elements.json')))
      execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    el = JSON.parse(read('custom-elements.json'))
      .modules.flatMap((m) => m.declarations ?? [])
      .find((d) => d.customElement && d.tagName === 'facesign-verify');
    ({ FaceSignVerifyElement: Element } = await import(path.join(root, 'dist/element.js')));
  });

  it('events: the manifest lists exactly what the element dispatches, each with its detail type', () => {
    const src = sources();
    // one place dispatches, typed by FaceSignEventMap; everything else goes through emit()
    const dispatchers = src.filter(([, t]) => /\.dispatchEvent\(/.test(t)).map(([f]) => f);
    assert.deepEqual(dispatchers, ['src/base/events.ts']);
    const map = /interface FaceSignEventMap \{([\s\S]*?)\n\}/.exec(read('src/base/events.ts'))[1];
    const typed = Object.fromEntries([...map.matchAll(/'(facesign-[a-z-]+)': CustomEvent<(\w+)>/g)].map((m) => [m[1], m[2]]));
    // the names really dispatched: each notice a transition posts (`['facesign-…', detail]`) and each question asked
    // (`ask('facesign-…', …)`), all through the element's outbox (src/base/outbox.ts), which calls emit()
    const used = sorted(
      src.filter(([f]) => f !== 'src/base/events.ts').flatMap(([, t]) => [...t.matchAll(/(?:\bask\(|\[)\s*'(facesign-[a-z-]+)'/g)].map((m) => m[1])),
    );
    assert.deepEqual(used, sorted(Object.keys(typed)), 'FaceSignEventMap is what src dispatches');
    assert.deepEqual(sorted(el.events.map((e) => e.name)), used, 'the manifest events');
    for (const e of el.events) assert.equal(e.type.text, `CustomEvent<${typed[e.name]}>`, e.name);
    // the wrappers pass on the same events: React's on* props, Vue's emits
    const react = [...read('src/wrappers/react.ts').matchAll(/event\('(facesign-[a-z-]+)'\)/g)].map((m) => m[1]);
    assert.deepEqual(sorted(react), used, 'the React wrapper');
    const vue = /const EVENTS = \[([\s\S]*?)\]/
      .exec(read('src/wrappers/vue.ts'))[1]
      .match(/'[a-z-]+'/g)
      .map((n) => `facesign-${n.slice(1, -1)}`);
    assert.deepEqual(sorted(vue), used, 'the Vue wrapper');
    // the deprecated name says so
    assert.match(el.events.find((e) => e.name === 'facesign-secret-expired').description, /deprecated/i);
  });

  it("attributes: the manifest's are the ones Lit declares on the built class, each with its property", () => {
    const declared = Object.entries(Element.properties)
      .filter(([, o]) => o.attribute !== false)
      .map(([name, o]) => `${typeof o.attribute === 'string' ? o.attribute : name.toLowerCase()}=${name}`);
    assert.deepEqual(sorted(el.attributes.map((a) => `${a.name}=${a.fieldName}`)), sorted(declared));
  });

  it('properties and methods: every declared property and public method is in the manifest, and nothing else', () => {
    const publicMembers = el.members.filter((m) => !m.static && (m.privacy ?? 'public') === 'public').map((m) => m.name);
    const properties = Object.keys(Element.properties);
    // what the class itself defines beyond Lit's: its methods and getters (Lit adds the property accessors later)
    const LitElement = Object.getPrototypeOf(Element);
    const own = Object.getOwnPropertyNames(Element.prototype).filter((n) => n !== 'constructor' && !(n in LitElement.prototype));
    // the controllers' entry points: public in JavaScript, @internal in the manifest
    const INTERNAL = ['closedByBrowser', 'log', 'readInputs', 'readSecret', 'refreshSettings', 'requestClose', 'resizeFrame', 'texts'];
    assert.deepEqual(sorted(publicMembers), sorted([...properties, ...own.filter((n) => !INTERNAL.includes(n))]));
    for (const n of INTERNAL) assert.ok(own.includes(n), `${n} is still a member (else drop it from this list)`);
    assert.deepEqual(sorted(el.members.filter((m) => m.static).map((m) => m.name)), ['define', 'version']);
  });

  it("docs/element.md's attribute table and events list name every attribute, property and event", () => {
    const doc = read('docs/element.md');
    const section = (from, to) => {
      assert.ok(doc.includes(from) && doc.includes(to), `docs/element.md has "${from}" and "${to}"`);
      return doc.slice(doc.indexOf(from), doc.indexOf(to));
    };
    const table = section('### Attributes and properties', '### Events');
    for (const a of el.attributes.filter((x) => x.name !== 'expires-at'))
      assert.match(table, new RegExp(`\\| \`${a.name}\` \\| \`${a.fieldName}\` \\|`), a.name);
    for (const p of el.members.filter((m) => m.kind === 'field' && !m.static && !el.attributes.some((a) => a.fieldName === m.name)))
      assert.match(table, new RegExp(`\\| \`${p.name}\`( \\(read-only\\))? \\|`), p.name);
    const events = section('### Events', '### Styling');
    for (const e of el.events) assert.ok(events.includes(`\`${e.name}\``), e.name);
  });
});
