// One page of a list, for lists that are paged with ?page=N links.

export interface Page<T> {
  items: T[];
  /** 1-based; a page past the end shows the last page. */
  page: number;
  pageCount: number;
  total: number;
}

export function pageOf<T>(items: readonly T[], requestedPage: number, pageSize: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
  return { items: items.slice((page - 1) * pageSize, page * pageSize), page, pageCount, total: items.length };
}
