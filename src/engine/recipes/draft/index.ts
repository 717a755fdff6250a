/**
 * Drafting recipes from answers (`recipes new`, the console's no-YAML form): the generator, the
 * trigger's fields and guesses, and the menus of transforms and actions a form offers.
 *
 * @example
 * import { draftRecipe, TRANSFORM_CHOICES } from './engine/recipes/draft/index.js';
 */
export { defaultRecipeId, defaultSource, draftRecipe, DraftError, flow, scalar, type DraftActionSpec, type DraftField, type DraftInput } from './draft.js';
export { ACTION_CHOICES, DRAFT_ACTIONS, TRANSFORM_CHOICES, transformsOf, type ActionChoice, type ChoiceOption, type ChoiceOptions, type DraftAction, type TransformChoice } from './choices.js';
export { guessFields, payloadFields, type DraftTrigger, type Guesses, type Leaf } from './fields.js';
