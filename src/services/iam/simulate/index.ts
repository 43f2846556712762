import * as contextKeys from './context-keys.js';
import * as simulate from './simulate.js';

/** The policy simulator: simulations and the context keys they read. */
export const simulateModules = [simulate, contextKeys];
