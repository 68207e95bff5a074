/**
 * Types for the script-tag build (`@facesign/verify/iife`): it defines `window.FaceSign`. Reference it from a
 * TypeScript page that loads the script: `/// <reference types="@facesign/verify/iife" />`.
 */
import type * as FaceSignApi from './index.js';

declare global {
  interface Window {
    FaceSign: typeof FaceSignApi;
  }
}

export {};
