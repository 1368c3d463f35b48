package rivery

import (
	"fmt"
	"net/url"
	"reflect"
)

// maxPages bounds one walk of a v1 list: 10,000 pages hold from 200,000
// items (20 a page) to 5,000,000 (500 a page), more than any environment
// has; a server that keeps answering past it is looping.
const maxPages = 10_000

// visited is the set of URLs a walk of a v1 list has fetched, as they were
// requested, so a next_page cycle (A, B, A) stops however its URLs are
// spelled.
type visited map[string]struct{}

// add records current (just fetched) and refuses next when it was fetched
// already or when the walk has reached maxPages.
func (v *visited) add(current, next string) error {
	if *v == nil {
		*v = make(visited)
	}
	(*v)[requestedString(current)] = struct{}{}
	if len(*v) >= maxPages {
		return fmt.Errorf("rivery: pagination went past %d pages: stopped", maxPages)
	}
	if _, ok := (*v)[requestedString(next)]; ok {
		return fmt.Errorf("rivery: next_page %q was already fetched (a pagination cycle): stopped", truncate(next))
	}
	return nil
}

// requestedString is s as it will be requested (see requestedURL), or s
// itself when it does not parse.
func requestedString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return requestedURL(u)
}

// requestedURL is u as a request sends it: without its fragment, in the
// encoding url.URL gives it, so that "H/x" and "H/x#" are the same URL.
func requestedURL(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	return v.String()
}

// dropNil removes the nil items (a JSON null in the list) of a list of
// pointers, in place; other lists come back as they are.
func dropNil[T any](items []T) []T {
	v := reflect.ValueOf(items)
	if v.Type().Elem().Kind() != reflect.Pointer {
		return items
	}
	out := items[:0]
	for i := range items {
		if !v.Index(i).IsNil() {
			out = append(out, items[i])
		}
	}
	return out
}
