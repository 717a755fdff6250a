/** mulberry32, the one the demo's sample stream uses: randomised tests replay exactly from their seed. */
export { seededRandom } from '../../src/demo/script.js';
