import { css } from 'lit';

/**
 * The shadow root's stylesheet (adopted as a constructable stylesheet: no <style>, so a strict CSP needs nothing).
 * Colours are tokens: the scheme's defaults (`data-scheme` light, dark or system), then the page's
 * `--facesign-*` custom properties, then `appearance` (set on the box and the dialog by appearance.ts, with a
 * readable text and on-accent colour picked for a background and accent given without one). Physical sides
 * only where the platform has no logical ones (the safe-area insets).
 */
export const styles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  .box,
  dialog {
    --_bg0: #fff;
    --_fg0: #1b1f27;
    --_accent0: #3451d1;
    --_on0: #fff;
    --_line0: #8a919e;
    --_ok0: #1a7f37;
    --_bad0: #c4321c;
    color-scheme: light;
  }
  [data-scheme='system'] {
    color-scheme: light dark;
  }
  [data-scheme='dark'] {
    --_bg0: #17191e;
    --_fg0: #eceef2;
    --_accent0: #9db0ff;
    --_on0: #10131a;
    --_line0: #6c7380;
    --_ok0: #56d37a;
    --_bad0: #ff8f80;
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    [data-scheme='system'] {
      --_bg0: #17191e;
      --_fg0: #eceef2;
      --_accent0: #9db0ff;
      --_on0: #10131a;
      --_line0: #6c7380;
      --_ok0: #56d37a;
      --_bad0: #ff8f80;
    }
  }
  .box,
  dialog {
    --_bg: var(--facesign-background, var(--_bg0));
    --_fg: var(--facesign-text, var(--_fg-auto, var(--_fg0)));
    --_accent: var(--facesign-accent, var(--_accent0));
    --_on-accent: var(--facesign-on-accent, var(--_on-auto, var(--_on0)));
    --_line: var(--_line0);
    --_radius: var(--facesign-radius, 12px);
    --_border: var(--facesign-border, 1px solid var(--_line));
    --_font: var(--facesign-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
  .box {
    position: relative;
    box-sizing: border-box;
    inline-size: 100%;
    /* the hosted page's height (--_h, from resize messages) clamped to what the host allows */
    block-size: clamp(var(--facesign-min-height, 480px), var(--_h, 0px), var(--facesign-max-height, 100dvh));
    border: var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--_bg);
  }
  iframe {
    display: block;
    inline-size: 100%;
    block-size: 100%;
    border: 0;
  }
  /* a closed session's iframe, kept until its page has handled close */
  iframe.lingering {
    display: none;
  }
  .cover {
    position: absolute;
    inset: 0;
    display: flex;
    overflow: auto;
    padding: 24px 20px;
    text-align: center;
    font: 15px/1.5 var(--_font);
    color: var(--_fg);
    background: var(--_bg);
    overflow-wrap: break-word;
  }
  .panel {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 12px;
    inline-size: 100%;
    /* a line of at most about 45 characters */
    max-inline-size: 45ch;
    margin: auto;
  }
  .title {
    margin: 0;
    font-size: 18px;
    font-weight: 600;
    line-height: 1.35;
    text-wrap: balance;
  }
  [part='loading'] .title {
    font-size: 15px;
    font-weight: 400;
  }
  .body {
    margin: 0;
    text-wrap: balance;
  }
  .mark {
    inline-size: 40px;
    block-size: 40px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.5;
    stroke-linecap: round;
    stroke-linejoin: round;
    color: var(--_accent);
  }
  .mark.error,
  .mark.offline,
  .mark.camera,
  .mark.mic {
    color: var(--_bad0);
  }
  .mark.done {
    color: var(--_ok0);
  }
  .actions {
    display: flex;
    flex-direction: column;
    gap: 8px;
    inline-size: 100%;
    max-inline-size: 320px;
    margin-block-start: 8px;
  }
  button,
  .secondary {
    box-sizing: border-box;
    min-block-size: 44px;
    min-inline-size: 44px;
    font: inherit;
    cursor: pointer;
  }
  .retry,
  .secondary {
    display: flex;
    align-items: center;
    justify-content: center;
    padding: 10px 20px;
    border-radius: min(var(--_radius), 12px);
    font-weight: 600;
    text-decoration: none;
  }
  .retry {
    border: 0;
    color: var(--_on-accent);
    background: var(--_accent);
  }
  .secondary {
    border: 1px solid var(--_line);
    color: var(--_fg);
    background: transparent;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .link {
    box-sizing: border-box;
    inline-size: 100%;
    max-inline-size: 320px;
    min-block-size: 44px;
    padding: 8px 12px;
    border: 1px solid var(--_line);
    border-radius: min(var(--_radius), 12px);
    font: 14px/1.4 var(--_font);
    color: var(--_fg);
    background: transparent;
    text-overflow: ellipsis;
  }
  .ref {
    margin: 4px 0 0;
    font-size: 13px;
  }
  /* the development build's hint in a box left without a secret (missing-secret.ts) */
  .no-secret code {
    font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    white-space: nowrap;
  }
  .no-secret a {
    color: var(--_accent);
  }
  .ref bdi {
    white-space: nowrap;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    unicode-bidi: isolate;
  }
  /* a fast load shows no spinner at all: the loading cover appears after 300 ms; until then its contents are not
     laid out or painted either (content-visibility, where an engine animates it; visibility hides it everywhere) */
  [part='loading'] {
    animation: reveal 0s 300ms backwards;
  }
  @keyframes reveal {
    from {
      visibility: hidden;
      content-visibility: hidden;
    }
  }
  .spinner {
    inline-size: 32px;
    block-size: 32px;
    border: 3px solid var(--_line);
    border-block-start-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.8s linear 300ms infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  dialog {
    /* --facesign-width/height are the outer size, border included */
    box-sizing: border-box;
    inline-size: var(--facesign-width, min(480px, 100vw));
    block-size: var(--facesign-height, min(720px, 100dvh));
    max-inline-size: 100vw;
    max-block-size: 100dvh;
    padding: 0;
    border: var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    color: var(--_fg);
    background: var(--_bg);
  }
  dialog::backdrop {
    background: var(--facesign-backdrop, rgb(0 0 0 / 0.55));
  }
  dialog .box {
    block-size: 100%;
    border: 0;
    border-radius: 0;
  }
  /* room for the close button above a screen's content */
  dialog .cover {
    padding-block-start: 64px;
  }
  .close {
    position: absolute;
    inset-block-start: calc(8px + env(safe-area-inset-top, 0px));
    inset-inline-end: calc(8px + max(env(safe-area-inset-left, 0px), env(safe-area-inset-right, 0px)));
    z-index: 1;
    inline-size: 44px;
    block-size: 44px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    font-size: 24px;
    line-height: 1;
    color: var(--_fg);
    background: var(--_bg);
  }
  /* full screen on narrow viewports; dvh follows the mobile browser's toolbars; the notch and home bar stay clear */
  @media (max-width: 600px) {
    dialog {
      inline-size: 100vw;
      block-size: 100dvh;
      margin: 0;
      padding: env(safe-area-inset-top, 0px) env(safe-area-inset-right, 0px) env(safe-area-inset-bottom, 0px) env(safe-area-inset-left, 0px);
      border: 0;
      border-radius: 0;
    }
  }
`;
