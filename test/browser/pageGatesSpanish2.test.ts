// The page gates (test/support/pageGates.ts) for part 2 of 2 of the pages, in Spanish: the four
// parts run in parallel workers.
import { describePageGates, pagesPart } from '../support/pageGates.ts';

describePageGates('es', pagesPart(2, 2));
