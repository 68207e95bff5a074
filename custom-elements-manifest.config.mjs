// `npm run analyze` (part of `npm run build`): custom-elements.json from the element's JSDoc (attributes,
// properties, events, parts, CSS properties). Only the element's module: the wrappers and the hosted-page side
// are not custom elements. Internal reactive state (`_status`, …) and private members are left out.
export default {
  globs: ['src/element/facesign-verify.ts'],
  litelement: true,
  outdir: '.',
  plugins: [
    {
      name: 'public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules)
          for (const d of mod.declarations ?? []) {
            if (d.attributes) d.attributes = d.attributes.filter((a) => !a.name.startsWith('_'));
            if (d.members) d.members = d.members.filter((m) => !m.name.startsWith('_') && !m.name.startsWith('#') && m.privacy !== 'private');
          }
      },
    },
  ],
};
