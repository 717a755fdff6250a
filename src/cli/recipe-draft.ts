/**
 * `recipes new`'s generator, shared with the console's no-YAML form: it lives in
 * `engine/recipes/draft/` (one drafter for the CLI and the API); the command asks the questions
 * and writes the file.
 */
export {
  DRAFT_ACTIONS, defaultRecipeId, defaultSource, draftRecipe, guessFields, payloadFields, scalar,
  type DraftAction, type DraftInput, type DraftTrigger, type Guesses, type Leaf,
} from '../engine/recipes/draft/index.js';
