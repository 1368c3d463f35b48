package riverytest

import (
	"net/http"
	"net/url"
	"strconv"
)

// The ways the fake pages lists, as the live API does: by page number
// (writePage: the v1 envelope with next_page and previous_page; river
// groups: the number alone), or by a cursor in next_page (a connection's
// tables, the audit log: cursorLinks).

// writePage answers one page of items as a v1 envelope whose next_page and
// previous_page are absolute URLs; extra holds more top-level keys and
// their values, in pairs (as the versions list's statistics).
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T, extra ...any) {
	writePageUpTo(w, r, 500, items, extra...)
}

// writePageUpTo is writePage for a list whose pages hold at most most
// items (teams and users: 200).
func writePageUpTo[T any](w http.ResponseWriter, r *http.Request, most int, items []T, extra ...any) {
	page, per, ok := pageQuery(w, r, most)
	if !ok {
		return
	}
	start, end := pageBounds(page, per, len(items))
	q := r.URL.Query()
	link := func(p int) any {
		q.Set("page", strconv.Itoa(p))
		return (&url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}).String()
	}
	env := map[string]any{
		"items":             items[start:end],
		"page":              page,
		"current_page_size": end - start,
		"total_items":       len(items),
		"next_page":         nil,
		"previous_page":     nil,
	}
	if end < len(items) {
		env["next_page"] = link(page + 1)
	}
	if page > 1 {
		env["previous_page"] = link(page - 1)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i].(string)] = extra[i+1]
	}
	writeJSON(w, http.StatusOK, env)
}

// pageQuery reads page (1 or more, default 1) and items_per_page (1 to
// most, default 20), answering 422 when either is not valid.
func pageQuery(w http.ResponseWriter, r *http.Request, most int) (page, per int, ok bool) {
	q := r.URL.Query()
	page, per = 1, 20
	var bad []fieldError
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad = append(bad, fieldError{"greater_than_equal", []string{"query", "page"}, "Input should be a whole number of at least 1", v})
		}
		page = n
	}
	if v := q.Get("items_per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > most {
			bad = append(bad, fieldError{"less_than_equal", []string{"query", "items_per_page"}, "Input should be a whole number from 1 to " + strconv.Itoa(most), v})
		}
		per = n
	}
	if len(bad) > 0 {
		writeValidation(w, bad...)
		return 0, 0, false
	}
	return page, per, true
}

// pageBounds are the bounds of page (of per items) in a list of n: a page
// past the end, however large its number, is empty.
func pageBounds(page, per, n int) (start, end int) {
	start = n
	if page-1 < n/per+1 {
		start = min((page-1)*per, n)
	}
	return start, min(start+per, n)
}

// cursorStart reads where a cursor page starts: the value of nextKey, or of
// prevKey (a previous_page), 0 when neither is sent. It reports false when
// the value is not a whole number.
func cursorStart(r *http.Request, nextKey, prevKey string) (int, bool) {
	for _, key := range []string{nextKey, prevKey} {
		if v := r.URL.Query().Get(key); v != "" {
			n, err := strconv.Atoi(v)
			return max(n, 0), err == nil && n >= 0
		}
	}
	return 0, true
}

// cursorLinks are the next_page and previous_page of a cursor page holding
// items [start, end) of total, per a page: this request's URL with nextKey
// (or prevKey) naming where that page starts, or nil at either end.
func cursorLinks(r *http.Request, start, end, total, per int, nextKey, prevKey string) (next, prev any) {
	link := func(key string, at int) string {
		q := r.URL.Query()
		q.Del(nextKey)
		q.Del(prevKey)
		q.Set(key, strconv.Itoa(at))
		return (&url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}).String()
	}
	if end < total {
		next = link(nextKey, end)
	}
	if start > 0 {
		prev = link(prevKey, max(start-per, 0))
	}
	return next, prev
}
