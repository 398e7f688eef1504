import { expect } from 'chai';
import { filterPanels, numberedPageOf, panelPage, periodStart, visitList, PANELS_PER_PAGE, PAST_VISITS_PER_PAGE } from '../../domain/recordLists.ts';

const NOW = new Date('2026-03-10T15:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

interface Result {
  id: number;
  effectiveAt: Date | null;
  outOfRange: string | null;
}
const result = (id: number, days: number | null, outOfRange: string | null = null): Result => ({ id, effectiveAt: days === null ? null : daysAgo(days), outOfRange });
const panel = (id: number, results: Result[]) => ({ id, title: `Panel ${id}`, results });
const ids = (panels: { id: number; results: Result[] }[]) => panels.map((p) => [p.id, p.results.map((r) => r.id)]);

describe('record lists (domain/recordLists.ts)', () => {
  describe('periodStart', () => {
    it('reaches back calendar months and years from now, or nowhere for all time', () => {
      expect(periodStart('all', NOW)).to.equal(null);
      expect(periodStart('3m', NOW)!.toISOString()).to.equal('2025-12-10T15:00:00.000Z');
      expect(periodStart('1y', NOW)!.toISOString()).to.equal('2025-03-10T15:00:00.000Z');
      expect(periodStart('5y', NOW)!.toISOString()).to.equal('2021-03-10T15:00:00.000Z');
    });
  });

  describe('filterPanels', () => {
    const panels = [
      panel(1, [result(11, 10), result(12, 10, 'high')]),
      panel(2, [result(21, 100), result(22, 100)]),
      // A panel whose results straddle the 1-year line keeps only the ones inside it.
      panel(3, [result(31, 360, 'low'), result(32, 370, 'high')]),
      panel(4, [result(41, null, 'high')]),
    ];

    it('keeps everything for all time and no flag', () => {
      expect(ids(filterPanels(panels, { period: 'all', flagged: false }, NOW))).to.deep.equal([[1, [11, 12]], [2, [21, 22]], [3, [31, 32]], [4, [41]]]);
    });

    it('judges each result by its own date, drops emptied panels, and leaves undated results out of any period', () => {
      expect(ids(filterPanels(panels, { period: '3m', flagged: false }, NOW))).to.deep.equal([[1, [11, 12]]]);
      expect(ids(filterPanels(panels, { period: '1y', flagged: false }, NOW))).to.deep.equal([[1, [11, 12]], [2, [21, 22]], [3, [31]]]);
    });

    it('with flagged, keeps only the out-of-range results and the panels that have one', () => {
      expect(ids(filterPanels(panels, { period: 'all', flagged: true }, NOW))).to.deep.equal([[1, [12]], [3, [31, 32]], [4, [41]]]);
      expect(ids(filterPanels(panels, { period: '1y', flagged: true }, NOW))).to.deep.equal([[1, [12]], [3, [31]]]);
    });

    it('includes a result taken exactly at the start of the period', () => {
      const edge = [panel(5, [{ id: 51, effectiveAt: periodStart('3m', NOW), outOfRange: null }])];
      expect(ids(filterPanels(edge, { period: '3m', flagged: false }, NOW))).to.deep.equal([[5, [51]]]);
    });

    it('leaves the panels it was given untouched', () => {
      filterPanels(panels, { period: '3m', flagged: true }, NOW);
      expect(panels[0]!.results).to.have.length(2);
    });
  });

  describe('paging', () => {
    it('numbers the items of a page, and a page past the end is the last page', () => {
      const items = Array.from({ length: 45 }, (_, i) => i + 1);
      expect(numberedPageOf(items, 2, 20)).to.include({ page: 2, pageCount: 3, total: 45, from: 21, to: 40 });
      expect(numberedPageOf(items, 9, 20)).to.include({ page: 3, from: 41, to: 45 });
      expect(numberedPageOf([], 1, 20)).to.include({ page: 1, pageCount: 1, total: 0, from: 0, to: 0 });
    });

    it('pages the filtered panels 10 at a time', () => {
      const many = Array.from({ length: 23 }, (_, i) => panel(i + 1, [result(i + 1, i * 30, i % 2 ? 'high' : null)]));
      const page = panelPage(many, { period: 'all', flagged: true }, 2, NOW);
      expect(PANELS_PER_PAGE).to.equal(10);
      expect(page).to.include({ total: 11, page: 2, pageCount: 2, from: 11, to: 11 });
    });

    it('shows every upcoming visit and a page of past ones, as the filter asks', () => {
      const visits = { upcoming: ['u1', 'u2'], past: Array.from({ length: 25 }, (_, i) => `p${i + 1}`) };
      const all = visitList(visits, 'all', 2);
      expect(all.upcoming).to.deep.equal(['u1', 'u2']);
      expect(all.past!.items).to.deep.equal(['p21', 'p22', 'p23', 'p24', 'p25']);
      expect(PAST_VISITS_PER_PAGE).to.equal(20);
      expect(visitList(visits, 'upcoming', 1)).to.deep.equal({ upcoming: ['u1', 'u2'], past: null });
      expect(visitList(visits, 'past', 1).upcoming).to.equal(null);
    });
  });
});
