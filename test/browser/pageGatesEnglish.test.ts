import { describePageGates } from '../support/pageGates.ts';
import { PAGES } from '../support/pages.ts';

describePageGates('en', PAGES);
