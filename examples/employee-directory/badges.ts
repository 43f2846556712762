/** The badges of seed 000's employee directory: stored value → what the page says. */
export const BADGES: ReadonlyMap<string, string> = new Map([
  ['apple', 'Mac User'],
  ['windows', 'Windows User'],
  ['linux', 'Linux User'],
  ['video-camera', 'Digital Content Star'],
  ['trophy', 'Employee of the Month'],
  ['camera', 'Photographer'],
  ['plane', 'Frequent Flier'],
  ['paperclip', 'Paperclip Afficionado'],
  ['coffee', 'Coffee Snob'],
  ['gamepad', 'Gamer'],
  ['bug', 'Bugfixer'],
  ['umbrella', 'Seattle Fan'],
]);
