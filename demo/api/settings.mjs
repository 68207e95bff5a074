// Validation of POST /sessions bodies, following the seeds (FaceSign REST docs), and the conversion of legacy
// `modules` into a linear flow. Every error names the offending field, so a merchant sees what to fix.

export const AVATARS = [
  { id: 'ava_sofia', name: 'Sofia', gender: 'female', langs: ['en', 'es', 'pt', 'fr', 'de', 'it'] },
  { id: 'ava_james', name: 'James', gender: 'male', langs: ['en', 'fr', 'de'] },
  { id: 'ava_mei', name: 'Mei', gender: 'female', langs: ['en', 'zh', 'ja'] },
];
export const LANGS = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Spanish' },
  { code: 'fr', name: 'French' },
  { code: 'de', name: 'German' },
  { code: 'it', name: 'Italian' },
  { code: 'pt', name: 'Portuguese' },
  { code: 'zh', name: 'Chinese' },
  { code: 'ja', name: 'Japanese' },
];
export const NODE_TYPES = ['start', 'conversation', 'end'];
export const MODULE_TYPES = ['identityVerification', 'documentAuthentication', 'emailVerification'];
const FIELDS = [
  'clientReferenceId',
  'metadata',
  'initialPhrase',
  'finalPhrase',
  'providedData',
  'avatarId',
  'langs',
  'defaultLang',
  'zone',
  'modules',
  'flow',
  'customization',
];
const MAX_TEXT = 2000;

export class ValidationError extends Error {}
const fail = (msg) => {
  throw new ValidationError(msg);
};
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v, field, { required = false, max = MAX_TEXT } = {}) => {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || !v.trim()) fail(`${field} must be a non-empty string`);
  if (v.length > max) fail(`${field} must be at most ${max} characters`);
  return v;
};
const flatObject = (v, field, valueTypes) => {
  if (v === undefined) return undefined;
  if (!isObject(v)) fail(`${field} must be an object`);
  const keys = Object.keys(v);
  if (keys.length > 50) fail(`${field} may have at most 50 keys`);
  for (const k of keys) {
    if (k.length > 40) fail(`${field}.${k.slice(0, 40)}… : keys must be at most 40 characters`);
    if (!valueTypes.includes(typeof v[k])) fail(`${field}.${k} must be a ${valueTypes.join(' or ')}`);
    if (typeof v[k] === 'string' && v[k].length > 500) fail(`${field}.${k} must be at most 500 characters`);
  }
  return { ...v };
};

/** Validates a create-session body; returns the session `settings` with defaults applied. */
export function validateSettings(body) {
  if (!isObject(body)) fail('the request body must be a JSON object');
  for (const k of Object.keys(body)) if (!FIELDS.includes(k)) fail(`${k} is not a session setting (allowed: ${FIELDS.join(', ')})`);
  const s = {};
  s.clientReferenceId = text(body.clientReferenceId, 'clientReferenceId', { required: true, max: 256 });
  if (body.metadata !== undefined) s.metadata = flatObject(body.metadata, 'metadata', ['string', 'number', 'boolean']);
  if (body.initialPhrase !== undefined) s.initialPhrase = text(body.initialPhrase, 'initialPhrase');
  if (body.finalPhrase !== undefined) s.finalPhrase = text(body.finalPhrase, 'finalPhrase');
  if (body.providedData !== undefined) s.providedData = flatObject(body.providedData, 'providedData', ['string']);
  if (body.avatarId !== undefined) {
    if (!AVATARS.some((a) => a.id === body.avatarId)) fail(`avatarId must be one of ${AVATARS.map((a) => a.id).join(', ')} (GET /avatars)`);
    s.avatarId = body.avatarId;
  }
  const codes = LANGS.map((l) => l.code);
  if (body.langs !== undefined) {
    if (!Array.isArray(body.langs) || !body.langs.length) fail('langs must be a non-empty array of language codes');
    body.langs.forEach((l, i) => codes.includes(l) || fail(`langs[${i}] must be one of ${codes.join(', ')} (GET /langs)`));
    s.langs = [...new Set(body.langs)];
  }
  s.defaultLang = body.defaultLang ?? 'en';
  if (!codes.includes(s.defaultLang)) fail(`defaultLang must be one of ${codes.join(', ')} (GET /langs)`);
  if (s.langs && !s.langs.includes(s.defaultLang)) fail('defaultLang must be one of langs');
  s.zone = body.zone ?? 'es';
  if (s.zone !== 'es' && s.zone !== 'eu') fail('zone must be "es" (United States) or "eu" (European Union)');
  if (body.modules !== undefined && body.flow !== undefined) fail('flow and modules are mutually exclusive: send one of them');
  if (body.modules === undefined && body.flow === undefined) fail('flow (recommended) or modules is required');
  if (body.modules !== undefined) s.modules = validateModules(body.modules);
  if (body.flow !== undefined) s.flow = validateFlow(body.flow);
  if (body.customization !== undefined) s.customization = validateCustomization(body.customization);
  return s;
}

function validateModules(modules) {
  if (!Array.isArray(modules) || !modules.length) fail('modules must be a non-empty array');
  return modules.map((m, i) => {
    const at = `modules[${i}]`;
    if (!isObject(m)) fail(`${at} must be an object`);
    if (!MODULE_TYPES.includes(m.type)) fail(`${at}.type must be one of ${MODULE_TYPES.join(', ')}`);
    for (const k of Object.keys(m)) if (!['type', 'name', 'email', 'publicRecognitionEnabled'].includes(k)) fail(`${at}.${k} is not a module field`);
    const out = { type: m.type };
    if (m.name !== undefined) out.name = text(m.name, `${at}.name`, { max: 200 });
    if (m.type === 'emailVerification') {
      if (typeof m.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m.email))
        fail(`${at}.email must be an email address (required for emailVerification)`);
      out.email = m.email;
    } else if (m.email !== undefined) fail(`${at}.email is only for emailVerification`);
    if (m.publicRecognitionEnabled !== undefined) {
      if (typeof m.publicRecognitionEnabled !== 'boolean') fail(`${at}.publicRecognitionEnabled must be a boolean`);
      out.publicRecognitionEnabled = m.publicRecognitionEnabled;
    }
    return out;
  });
}

/** Flow rules: node ids unique, exactly one start, at least one end, every edge points at an existing node. */
export function validateFlow(flow) {
  if (!Array.isArray(flow) || !flow.length) fail('flow must be a non-empty array of nodes');
  const ids = new Set();
  const nodes = flow.map((n, i) => {
    const at = `flow[${i}]`;
    if (!isObject(n)) fail(`${at} must be an object`);
    const id = text(n.id, `${at}.id`, { max: 100 });
    if (ids.has(id)) fail(`${at}.id "${id}" is used by another node`);
    ids.add(id);
    if (!NODE_TYPES.includes(n.type)) fail(`${at}.type must be one of ${NODE_TYPES.join(', ')}`);
    if (n.type === 'start') return { id, type: 'start', outcome: text(n.outcome, `${at}.outcome`, { required: true, max: 100 }) };
    if (n.type === 'end') return { id, type: 'end' };
    const prompt = text(n.prompt, `${at}.prompt`, { required: true });
    if (!Array.isArray(n.outcomes) || !n.outcomes.length) fail(`${at}.outcomes must be a non-empty array`);
    const outIds = new Set();
    const outcomes = n.outcomes.map((o, j) => {
      const oat = `${at}.outcomes[${j}]`;
      if (!isObject(o)) fail(`${oat} must be an object`);
      const oid = text(o.id, `${oat}.id`, { max: 100 });
      if (outIds.has(oid)) fail(`${oat}.id "${oid}" is used by another outcome of this node`);
      outIds.add(oid);
      return {
        id: oid,
        condition: text(o.condition, `${oat}.condition`, { required: true, max: 500 }),
        targetNodeId: text(o.targetNodeId, `${oat}.targetNodeId`, { required: true, max: 100 }),
      };
    });
    return { id, type: 'conversation', prompt, outcomes };
  });
  const starts = nodes.filter((n) => n.type === 'start');
  if (starts.length !== 1) fail(`flow must have exactly one start node (found ${starts.length})`);
  if (!nodes.some((n) => n.type === 'end')) fail('flow must have at least one end node');
  nodes.forEach((n, i) => {
    if (n.type === 'start' && !ids.has(n.outcome)) fail(`flow[${i}].outcome points at "${n.outcome}", which is not a node id`);
    if (n.type === 'start' && nodes.find((m) => m.id === n.outcome).type === 'start') fail(`flow[${i}].outcome must not point at the start node`);
    n.outcomes?.forEach(
      (o, j) => ids.has(o.targetNodeId) || fail(`flow[${i}].outcomes[${j}].targetNodeId points at "${o.targetNodeId}", which is not a node id`),
    );
  });
  return nodes;
}

function validateCustomization(c) {
  if (!isObject(c)) fail('customization must be an object');
  const out = {};
  for (const k of Object.keys(c)) if (k !== 'branding') fail(`customization.${k} is not a customization field (allowed: branding)`);
  if (c.branding !== undefined) {
    if (!isObject(c.branding)) fail('customization.branding must be an object');
    const b = {};
    for (const k of Object.keys(c.branding))
      if (!['primaryColor', 'logoUrl', 'fontFamily'].includes(k)) fail(`customization.branding.${k} is not a branding field`);
    if (c.branding.primaryColor !== undefined) {
      if (!/^#[0-9a-fA-F]{6}$/.test(c.branding.primaryColor)) fail('customization.branding.primaryColor must be a #rrggbb colour');
      b.primaryColor = c.branding.primaryColor;
    }
    if (c.branding.logoUrl !== undefined) {
      let ok = false;
      try {
        ok = new URL(c.branding.logoUrl).protocol === 'https:';
      } catch {
        // not a URL: reported below
      }
      if (!ok) fail('customization.branding.logoUrl must be an https URL');
      b.logoUrl = c.branding.logoUrl;
    }
    if (c.branding.fontFamily !== undefined) b.fontFamily = text(c.branding.fontFamily, 'customization.branding.fontFamily', { max: 100 });
    out.branding = b;
  }
  return out;
}

/**
 * The flow the hosted page walks: the session's own, or the legacy modules as a linear flow.
 * `check` marks answers the server verifies (the email code).
 */
export function flowOf(settings) {
  if (settings.flow) return settings.flow;
  const nodes = [];
  settings.modules.forEach((m, i) => {
    const next = i + 1 < settings.modules.length ? `m${i + 1}` : 'end';
    const id = `m${i}`;
    if (m.type === 'identityVerification')
      nodes.push({
        id,
        type: 'conversation',
        prompt: 'Please look at the camera and tell me your full name.',
        outcomes: [{ id: 'name', condition: 'user said their full name', targetNodeId: next }],
      });
    else if (m.type === 'documentAuthentication')
      nodes.push({
        id,
        type: 'conversation',
        prompt: 'Hold your identity document up to the camera. Which document is it?',
        outcomes: ['passport', 'identity card', 'driving licence'].map((d) => ({
          id: d.replace(' ', '-'),
          condition: `user shows a ${d}`,
          targetNodeId: next,
        })),
      });
    else
      nodes.push({
        id,
        type: 'conversation',
        prompt: `We sent a 6-digit code to ${m.email}. Please type it.`,
        check: 'emailCode',
        outcomes: [{ id: 'code', condition: 'user entered the code sent by email', targetNodeId: next }],
      });
  });
  return [{ id: 'start', type: 'start', outcome: nodes[0]?.id ?? 'end' }, ...nodes, { id: 'end', type: 'end' }];
}
