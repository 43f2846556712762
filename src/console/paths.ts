/** Where the console lives on the server's one port, and the names its browser side shares. */
export const CONSOLE_PREFIX = '/_iamlocal/console/';
/** The session cookie: an opaque random token (HttpOnly, SameSite=Strict, scoped to the console's path). */
export const SESSION_COOKIE = 'iamlocal-console';
/** Every state-changing console request carries the session's CSRF token in this header. */
export const CSRF_HEADER = 'x-iamlocal-csrf';
/** On a denied console API call: the policy engine's explanation (URI-encoded), for the page. */
export const EXPLANATION_HEADER = 'x-iamlocal-explanation';
/** The region a console API call is made in (the page's region selector); absent: us-east-1. */
export const REGION_HEADER = 'x-iamlocal-region';
