// `npm run manifest`: custom-elements.json from the components' JSDoc
// (@summary @slot @event @csspart @cssproperty) and lit's static properties.
export default {
  globs: ['components/*/*.component.ts'],
  exclude: ['components/internal/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // Tag names come from the registration files (x.ts calls X.define('tp-x')), which the analyzer doesn't read.
      name: 'touchpoint-tag-names',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.kind !== 'class' || !decl.name.startsWith('Tp')) continue;
            decl.tagName = decl.name.replace(/^Tp/, 'tp').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
            decl.customElement = true;
            mod.exports = [...(mod.exports ?? []), { kind: 'custom-element-definition', name: decl.tagName, declaration: { name: decl.name, module: mod.path } }];
            // Private members (underscore) are implementation, not API.
            decl.members = (decl.members ?? []).filter((m) => !m.name.startsWith('_') && m.privacy !== 'private');
            decl.attributes = (decl.attributes ?? []).filter((a) => !a.fieldName?.startsWith('_'));
          }
        }
        // The analyzer lists files in the order its glob returns them, which varies: sort, so the file only changes when the API does.
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      },
    },
  ],
};
