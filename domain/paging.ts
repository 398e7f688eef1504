// One page of a list, for lists that are paged with ?page=N links.

export interface Page<T> {
  items: T[];
  /** 1-based; a page past the end shows the last page. */
  page: number;
  pageCount: number;
  total: number;
}

/** Which page to show of `total` items, and how many pages there are: for lists paged in SQL too. */
export function pageBounds(total: number, requestedPage: number, pageSize: number): { page: number; pageCount: number; offset: number } {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
  return { page, pageCount, offset: (page - 1) * pageSize };
}

export function pageOf<T>(items: readonly T[], requestedPage: number, pageSize: number): Page<T> {
  const { page, pageCount, offset } = pageBounds(items.length, requestedPage, pageSize);
  return { items: items.slice(offset, offset + pageSize), page, pageCount, total: items.length };
}
