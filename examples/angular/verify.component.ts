// Angular (standalone component): the element is a custom element, so the component declares
// CUSTOM_ELEMENTS_SCHEMA; properties bind with [prop], events with (facesign-…).
import { CUSTOM_ELEMENTS_SCHEMA, Component, input, output } from '@angular/core';
import '@facesign/verify';
import type { FaceSignCancelDetail, FaceSignCompleteDetail, FaceSignError } from '@facesign/verify';

@Component({
  selector: 'app-verify',
  standalone: true,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <facesign-verify
      [clientSecret]="clientSecret()"
      [refreshUrl]="refreshUrl()"
      mode="inline"
      (facesign-complete)="onComplete($event)"
      (facesign-cancel)="onCancel($event)"
      (facesign-error)="onError($event)"
    ></facesign-verify>
  `,
})
export class VerifyComponent {
  readonly clientSecret = input.required<string>();
  readonly refreshUrl = input<string>();
  readonly completed = output<string>();

  onComplete(e: Event) {
    // confirm on your server (webhook or GET /sessions/:id) before trusting it
    this.completed.emit((e as CustomEvent<FaceSignCompleteDetail>).detail.sessionId);
  }
  onCancel(e: Event) {
    console.info('verification canceled:', (e as CustomEvent<FaceSignCancelDetail>).detail.reason);
  }
  onError(e: Event) {
    const err = (e as CustomEvent<FaceSignError>).detail;
    if (!err.recoverable) console.error(err.code, err.message);
  }
}
