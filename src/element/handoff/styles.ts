/**
 * The handoff screens' own styles, adopted into the element's shadow root when their module loads (on demand: a page
 * that never offers the phone carries none of it). A constructed sheet, so a strict CSP allows it.
 */
import { css } from 'lit';

export const handoffStyles = css`
  /* the box the code's layout follows: its own width, not the viewport's */
  .fit {
    container-type: inline-size;
    inline-size: 100%;
    margin: auto;
  }
  /* the code beside its words where the box is wide enough, above them where it is not */
  .panel.split {
    flex-flow: row wrap;
    justify-content: center;
    gap: 10px 28px;
    max-inline-size: 640px;
  }
  .split > .words {
    display: flex;
    flex: 1 1 260px;
    flex-direction: column;
    align-items: center;
    gap: 8px;
    max-inline-size: 340px;
  }
  /* dark on light whatever the element's colours: phone cameras read that best; big enough from arm's length */
  .qr {
    flex: none;
    inline-size: 168px;
    border-radius: 8px;
  }
  .link-row {
    display: flex;
    gap: 8px;
    inline-size: 100%;
  }
  .link-row .link {
    flex: 1;
    min-inline-size: 0;
  }
  .hint {
    margin: 0;
    font-size: 13px;
  }
  .split .actions {
    margin-block-start: 2px;
  }
  /* a button that reads as a link, still a 44 px target; the target overlaps the spacing around it rather than
     adding a row's height (a narrow box must fit the code, its words and both actions in 480 px) */
  .quiet {
    min-block-size: 44px;
    margin-block: -8px;
    padding: 0 6px;
    border: 0;
    font-weight: 600;
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 3px;
    background: none;
  }
  /* a narrow box (a phone, a side panel): the code above its words, a little smaller */
  @container (max-width: 460px) {
    .qr {
      inline-size: 128px;
    }
  }
`;
