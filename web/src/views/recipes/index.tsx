/**
 * The Recipes view: the list (enable/disable, last-24 h outcomes), the no-YAML form, and the YAML
 * editor with its live preview, dry run, save and history.
 */
import type { ViewRoute } from '../../app/view-types.ts';
import { RecipeEditor } from './editor.tsx';
import { NewRecipeForm } from './form.tsx';
import { RecipesList } from './list.tsx';
import './recipes.css';

export const routes: ViewRoute[] = [
  { path: '/recipes', component: RecipesList, title: 'Recipes' },
  { path: '/recipes/new', component: NewRecipeForm, title: 'New recipe' },
  { path: '/recipes/:id', component: RecipeEditor, title: 'Recipe' },
];
