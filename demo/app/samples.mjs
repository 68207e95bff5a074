// Sample session settings the demo page offers: two custom flows (the seeds' recommended way) and legacy modules.
export const SAMPLES = {
  greeting: {
    title: 'Greeting flow (seeds example)',
    settings: {
      flow: [
        { id: 'start', type: 'start', outcome: 'greeting' },
        {
          id: 'greeting',
          type: 'conversation',
          prompt: "Hello! What's your name?",
          outcomes: [{ id: 't1', condition: 'user provided name', targetNodeId: 'end' }],
        },
        { id: 'end', type: 'end' },
      ],
    },
  },
  onboarding: {
    title: 'Onboarding with branches',
    settings: {
      initialPhrase: 'Welcome to Acme Bank. This takes about a minute.',
      finalPhrase: 'Thanks! We will email you when your account is ready.',
      langs: ['en', 'es'],
      defaultLang: 'en',
      flow: [
        { id: 'start', type: 'start', outcome: 'purpose' },
        {
          id: 'purpose',
          type: 'conversation',
          prompt: 'What will you use your account for?',
          outcomes: [
            { id: 'personal', condition: 'personal banking', targetNodeId: 'age' },
            { id: 'business', condition: 'business banking', targetNodeId: 'company' },
          ],
        },
        {
          id: 'company',
          type: 'conversation',
          prompt: 'What is the name of your company?',
          outcomes: [{ id: 'named', condition: 'user named the company', targetNodeId: 'age' }],
        },
        {
          id: 'age',
          type: 'conversation',
          prompt: 'Are you 18 or older?',
          outcomes: [
            { id: 'adult', condition: 'yes, 18 or older', targetNodeId: 'end' },
            { id: 'minor', condition: 'no, younger than 18', targetNodeId: 'end' },
          ],
        },
        { id: 'end', type: 'end' },
      ],
    },
  },
  modules: {
    title: 'Legacy modules (identity + email code)',
    settings: {
      modules: [{ type: 'identityVerification' }, { type: 'emailVerification', email: 'user@example.com' }],
    },
  },
};
