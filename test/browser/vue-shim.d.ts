// the full Vue build (with the template compiler) has the runtime's types
declare module 'vue/dist/vue.esm-bundler.js' {
  export * from 'vue';
}
