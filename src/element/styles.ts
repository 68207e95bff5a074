import { css } from 'lit';

/** The shadow root's stylesheet (adopted as a constructable stylesheet: no <style>, so a strict CSP needs nothing). */
export const styles = css`
  :host {
    display: block;
    --_radius: var(--facesign-radius, 12px);
    --_border: var(--facesign-border, 1px solid #d0d4dc);
  }
  :host([hidden]) {
    display: none;
  }
  .box {
    position: relative;
    box-sizing: border-box;
    width: 100%;
    /* the hosted page's height (--_h, from resize messages) clamped to what the host allows */
    height: clamp(var(--facesign-min-height, 480px), var(--_h, 0px), var(--facesign-max-height, 100dvh));
    border: var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--facesign-background, #fff);
  }
  iframe {
    display: block;
    width: 100%;
    height: 100%;
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
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 12px;
    padding: 16px;
    text-align: center;
    font:
      15px/1.4 system-ui,
      sans-serif;
    color: #333;
    background: inherit;
  }
  /* a fast load shows no spinner at all: the loading cover appears after 300 ms (and costs nothing until then) */
  [part='loading'] {
    animation: reveal 0s 300ms backwards;
  }
  @keyframes reveal {
    from {
      visibility: hidden;
    }
  }
  .spinner {
    width: 32px;
    height: 32px;
    border: 3px solid #d0d4dc;
    border-top-color: var(--facesign-accent, #3b5bdb);
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
  button {
    font: inherit;
    cursor: pointer;
  }
  .retry {
    padding: 8px 16px;
    border: 0;
    border-radius: 8px;
    color: #fff;
    background: var(--facesign-accent, #3b5bdb);
  }
  dialog {
    /* --facesign-width/height are the outer size, border included */
    box-sizing: border-box;
    width: var(--facesign-width, min(480px, 100vw));
    height: var(--facesign-height, min(720px, 100dvh));
    max-width: 100vw;
    max-height: 100dvh;
    padding: 0;
    border: var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  dialog::backdrop {
    background: var(--facesign-backdrop, rgb(0 0 0 / 0.55));
  }
  dialog .box {
    height: 100%;
    border: 0;
    border-radius: 0;
  }
  .close {
    position: absolute;
    top: 8px;
    right: 8px;
    z-index: 1;
    width: 36px;
    height: 36px;
    border: 0;
    border-radius: 50%;
    font-size: 22px;
    line-height: 1;
    color: #333;
    background: rgb(255 255 255 / 0.85);
  }
  /* full screen on narrow viewports; dvh follows the mobile browser's toolbars */
  @media (max-width: 600px) {
    dialog {
      width: 100vw;
      height: 100dvh;
      margin: 0;
      border: 0;
      border-radius: 0;
    }
  }
`;
