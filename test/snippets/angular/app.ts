import { Component, signal } from '@angular/core';
import { VerifyComponent } from './verify.component';

// the test's app: docs/frameworks.md's component, and a button that re-renders the app around it
@Component({
  selector: 'app-root',
  imports: [VerifyComponent],
  template: `<app-verify /><button (click)="renders.set(renders() + 1)">re-rendered {{ renders() }}</button>`,
})
export class App {
  protected readonly renders = signal(0);
}
