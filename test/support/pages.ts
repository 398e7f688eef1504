// Every page the app has, in one list. The accessibility, HTML-validity and
// JavaScript-off gates all walk it, so a new page joins every gate by being added here.
// A page is reached by a GET, optionally followed by submitting the form on it.

export interface PageVisit {
  name: string;
  path: string;
  /** Expected status of the page that is checked (after any form submission). */
  status?: number;
  /** Fill these fields of the page's form and submit it; the result is the page checked. */
  submit?: Record<string, string>;
  /** Where the browser should end up after `submit` (a path), when it redirects. */
  landsOn?: string;
}

export const VALID_CONTACT = {
  name: 'Ana Díaz',
  email: 'ana.diaz@example.com',
  phone: '555 010 2030',
  portal: 'family',
  topic: 'signIn',
  message: 'I cannot find the sign-in page.',
};

export const PAGES: PageVisit[] = [
  { name: 'MyChildren’s home', path: '/' },
  { name: 'MyPatients home', path: '/provider' },
  { name: 'back office home', path: '/staff' },
  { name: 'help', path: '/help' },
  { name: 'privacy', path: '/privacy' },
  { name: 'emergency', path: '/emergency' },
  { name: 'contact form', path: '/contact' },
  { name: 'contact form with errors', path: '/contact', submit: { name: '', email: 'not-an-email', message: '' }, status: 422 },
  { name: 'contact form sent', path: '/contact', submit: VALID_CONTACT, landsOn: '/contact/sent' },
  { name: 'development mailbox', path: '/dev/mailbox' },
  { name: 'page not found', path: '/no-such-page', status: 404 },
];

export const LANGUAGES = ['en', 'es'] as const;
