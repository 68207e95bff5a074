// FaceSign's REST types, as the seeds (FaceSign's API reference) describe them. Unix timestamps are seconds.

/** `requiresInput` → `processing` → `complete` (see `report.isVerified`) or `canceled` (by the user, or expired). */
export type SessionStatus = 'requiresInput' | 'processing' | 'complete' | 'canceled';

import type { ClientSecret } from '../base/client-secret.js';

/** The secret the browser gets: it expires after an hour; a refresh kills the old one at once. */
export type { ClientSecret };

/** Legacy modules (use `flow` for new integrations). */
export type SessionModule =
  | { type: 'identityVerification'; name?: string; publicRecognitionEnabled?: boolean }
  | { type: 'documentAuthentication'; name?: string; publicRecognitionEnabled?: boolean }
  | { type: 'emailVerification'; email: string; name?: string; publicRecognitionEnabled?: boolean };

/** Where a conversation goes next: the avatar judges `condition` on the user's answer. */
export interface FlowOutcome {
  id: string;
  condition: string;
  targetNodeId: string;
}
export interface FlowStartNode {
  id: string;
  type: 'start';
  /** the id of the first node */
  outcome: string;
}
export interface FlowConversationNode {
  id: string;
  type: 'conversation';
  /** what the avatar says or asks */
  prompt: string;
  outcomes: FlowOutcome[];
}
export interface FlowEndNode {
  id: string;
  type: 'end';
}
/** A node of a custom flow: exactly one `start`, at least one `end`. */
export type FlowNode = FlowStartNode | FlowConversationNode | FlowEndNode;

export interface Customization {
  branding?: { primaryColor?: string; logoUrl?: string; fontFamily?: string };
}

/** The code of a language FaceSign offers (`langs.list()`); other strings are accepted for languages added later. */
export type LangCode = 'en' | 'es' | 'fr' | 'de' | 'it' | 'pt' | 'zh' | 'ja' | (string & {});

interface SettingsBase {
  /** your id for the user, linking the session to them */
  clientReferenceId: string;
  metadata?: Record<string, string | number | boolean>;
  /** the avatar's greeting */
  initialPhrase?: string;
  /** the avatar's closing words */
  finalPhrase?: string;
  /** data you already have, passed to the flow */
  providedData?: Record<string, string>;
  /** from `avatars.list()` */
  avatarId?: string;
  langs?: LangCode[];
  /** defaults to `en` */
  defaultLang?: LangCode;
  /** `es` (United States, the default) or `eu` (European Union) */
  zone?: 'es' | 'eu';
  customization?: Customization;
}

/** What `sessions.create()` takes: a custom `flow` (recommended) or legacy `modules`, never both. */
export type CreateSessionParams =
  (SettingsBase & { flow: FlowNode[]; modules?: never }) | (SettingsBase & { modules: SessionModule[]; flow?: never });

/** The settings a session was created with, defaults applied. */
export type SessionSettings = SettingsBase & { defaultLang: LangCode; zone: 'es' | 'eu'; flow?: FlowNode[]; modules?: SessionModule[] };

export interface TranscriptEntry {
  id: string;
  createdAt: number;
  text: string;
  isAvatar: boolean;
}

export interface AIAnalysis {
  ageMin: number;
  ageMax: number;
  sex: 'male' | 'female' | (string & {});
  realPersonOrVirtual: 'real' | 'virtual' | (string & {});
  overallSummary: string;
  analysis?: { title: string; shortDescription: string; longDescription: string }[];
}

/** The results, once the session is complete. */
export interface SessionReport {
  transcript: TranscriptEntry[];
  aiAnalysis: AIAnalysis;
  /** if available and consented */
  location: Record<string, unknown>;
  device: Record<string, unknown>;
  livenessDetected: boolean;
  lang: string;
  extractedData: Record<string, string>;
  /** screenshot URLs */
  screenshots: string[];
  videos: { avatarVideoUrl?: string; userVideoUrl?: string };
  /** the overall result: true when the verification succeeded */
  isVerified: boolean;
}

export interface Session {
  id: string;
  createdAt: number;
  /** when the user began */
  startedAt?: number;
  /** when it completed or was canceled */
  finishedAt?: number;
  status: SessionStatus;
  settings: SessionSettings;
  /** the API version of this session */
  version?: string;
  report?: SessionReport;
}

/** `sessions.create()` and `sessions.retrieve()` */
export interface SessionWithSecret {
  session: Session;
  clientSecret: ClientSecret;
}

export interface Avatar {
  id: string;
  name: string;
  gender?: string;
  langs?: LangCode[];
}

export interface Lang {
  code: LangCode;
  name: string;
}

/** The events FaceSign's webhooks deliver. */
export type WebhookEventType = 'session.started' | 'session.completed' | 'session.canceled';

export interface WebhookEvent<T extends WebhookEventType = WebhookEventType> {
  /** the same as the `webhook-id` header: deduplicate on it */
  id: string;
  type: T;
  createdAt: number;
  data: { session: Session };
}
/** Narrows on `type`: `if (event.type === 'session.completed') event.data.session.report` */
export type FaceSignWebhookEvent = { [T in WebhookEventType]: WebhookEvent<T> }[WebhookEventType];
