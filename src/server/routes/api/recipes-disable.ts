import { recipeSwitchRoute } from './recipe-switch.js';

export default recipeSwitchRoute(false);
