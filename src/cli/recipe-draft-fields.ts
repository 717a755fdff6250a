/** The trigger's fields and the guesses a draft starts from: see `engine/recipes/draft/fields.ts`. */
export { guessFields, payloadFields, type DraftTrigger, type Guesses, type Leaf } from '../engine/recipes/draft/fields.js';
