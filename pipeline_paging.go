package rivery

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"

	"github.com/rivery-go/rivery/internal/wire"
)

// maxPerPage is the largest page the v1 API serves.
const maxPerPage = 500

// ListOptions selects one page of a v1 list. Zero values mean the server's
// defaults (page 1, 20 items).
type ListOptions struct {
	Page    int `url:"page,omitempty"`           // from 1
	PerPage int `url:"items_per_page,omitempty"` // 1 to 500
}

func (o *ListOptions) validate() error {
	if o == nil {
		return nil
	}
	switch {
	case o.Page < 0:
		return fmt.Errorf("%w: negative page %d", ErrInvalidArgument, o.Page)
	case o.PerPage < 0 || o.PerPage > maxPerPage:
		return fmt.Errorf("%w: items per page %d is outside 1 to %d", ErrInvalidArgument, o.PerPage, maxPerPage)
	}
	return nil
}

// listPage GETs one v1 envelope from u and records its pagination in the
// Response.
func listPage[T any](ctx context.Context, c *Client, u string, query any) ([]T, *Response, error) {
	page := presized[T]{room: pageCap(query)}
	env := &page.Envelope
	resp, err := c.do(ctx, call{method: http.MethodGet, url: u, query: query, out: &page, limit: limitPage})
	if err != nil {
		return nil, resp, err
	}
	setPaging(resp, env)
	if len(env.Items) == 0 && cap(env.Items) > 0 {
		// No "items" (or a null body): nil, as before the room was made.
		// An empty array is a new slice of no capacity, kept as it is.
		env.Items = nil
	}
	return dropNil(env.Items), resp, nil
}

// setPaging records an envelope's pagination in r.
func setPaging[T any](r *Response, env *wire.Envelope[T]) {
	r.Page, r.TotalItems = int(env.Page), int(env.TotalItems)
	r.NextPage, r.PreviousPage = string(env.NextPage), string(env.PreviousPage)
}

// listValues is listPage for a list decoded into values: one allocation
// for the page's items rather than one each. Items that decode to the zero
// value (null, or {}) are dropped, as listPage drops nil ones.
func listValues[T any](ctx context.Context, c *Client, u string, query any) ([]T, *Response, error) {
	items, resp, err := listPage[T](ctx, c, u, query)
	return dropZero(items), resp, err
}

// defaultPerPage is the page size the v1 API serves when none is asked for.
const defaultPerPage = 20

// presized is a v1 envelope whose items are decoded into room made for the
// page size asked for: encoding/json appends into a slice's capacity, so a
// full page costs one allocation for its items instead of a doubling series.
type presized[T any] struct {
	wire.Envelope[T]
	room int // items to make room for
}

// clearForAttempt empties the envelope before an attempt (see decodeBody),
// keeping the items' room but none of an earlier attempt's values. The
// room is made on the first attempt that decodes (new, so already zero)
// and cleared whole on a later one, where an earlier decode may have
// written anywhere in it.
func (p *presized[T]) clearForAttempt() {
	items := p.Items[:cap(p.Items)]
	if cap(items) == 0 {
		items = make([]T, 0, p.room)
	} else {
		clear(items)
	}
	p.Envelope = wire.Envelope[T]{Items: items[:0]}
}

// pageSizer is a list's options that ask for a page size (ListOptions and
// the options that embed it).
type pageSizer interface{ perPage() int }

// perPage is the page size asked for; 0 means the server's default.
func (o *ListOptions) perPage() int { return o.PerPage }

// pageCap is the room to make for a page's items: the page size query asks
// for, or the server's default. Later pages (query nil) get the default;
// a page that brings more grows as usual.
func pageCap(query any) int {
	ps, ok := query.(pageSizer)
	if !ok {
		return defaultPerPage
	}
	if nilPointer(query) {
		return defaultPerPage // nil options: a promoted perPage would panic
	}
	if n := ps.perPage(); n > 0 && n <= maxPerPage {
		return n
	}
	return defaultPerPage
}

// pointers returns a pointer to each of items, which stay where they are.
func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// dropZero removes, in place, the items that are their type's zero value:
// what a null in a JSON list decodes to. Items are moved only once one has
// been dropped; the tail left behind is cleared.
func dropZero[T any](items []T) []T {
	n := 0
	for i := range items {
		if isZeroItem(&items[i]) {
			continue
		}
		if n != i {
			items[n] = items[i]
		}
		n++
	}
	clear(items[n:])
	return items[:n]
}

// keyed is a list item that can tell cheaply that it is not its type's
// zero value: one of its identifying fields is set.
type keyed interface{ Keyed() bool }

// isZeroItem reports whether *p is its type's zero value. An item with its
// key set is not; only the others are walked by reflection.
func isZeroItem[T any](p *T) bool {
	if k, ok := any(p).(keyed); ok && k.Keyed() {
		return false
	}
	return reflect.ValueOf(p).Elem().IsZero()
}

// pageFunc fetches the page at u (with query on the first call only).
type pageFunc[T any] func(ctx context.Context, u string, query any) ([]T, *Response, error)

// allPages walks a v1 list from first (with query) through each next_page,
// holding one page at a time. It follows next_page only on the client's own
// scheme and host, and stops with an error when a page does not advance,
// when next_page names a URL already fetched, or past maxPages pages.
func allPages[T any](ctx context.Context, c *Client, first string, query any, fetch pageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		u, q, prevPage := first, query, 0
		var seen visited
		for {
			items, resp, err := fetch(ctx, u, q)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			next := resp.NextPage
			if next == "" || len(items) == 0 {
				return
			}
			current, _ := fullURL(u, q) // q was encoded by the fetch
			if err := c.checkNextPage(next, current, prevPage, resp.Page); err != nil {
				yield(zero, err)
				return
			}
			if err := seen.add(current, next); err != nil {
				yield(zero, err)
				return
			}
			u, q, prevPage = next, nil, resp.Page
		}
	}
}

// checkNextPage refuses a next_page that would send the token to another
// origin or that does not move the walk forward.
func (c *Client) checkNextPage(next, current string, prevPage, page int) error {
	nu, err := url.Parse(next)
	if err != nil || !nu.IsAbs() {
		return fmt.Errorf("rivery: next_page %q is not an absolute URL", truncate(next))
	}
	base, _ := url.Parse(c.v1) // validated when the client was built
	if nu.User != nil || nu.Scheme != base.Scheme || nu.Host != base.Host {
		return fmt.Errorf("rivery: next_page points to %s://%s, not the client's %s://%s: refused", truncate(nu.Scheme), truncate(nu.Host), base.Scheme, base.Host)
	}
	if next == current || (page > 0 && page <= prevPage) {
		return fmt.Errorf("rivery: pagination does not advance (page %d, next_page %q): stopped", page, truncate(next))
	}
	return nil
}

// numberedNext is the next page of a list that numbers its pages and
// counts its items (total_items) but names no next_page, as Rivery's
// Terraform client pages river groups: u (asked with query q) with page
// one higher, while the pages so far, of the size asked (or the server's
// default), hold fewer than total items; "" once they hold them all or
// the page was empty.
func numberedNext(u string, q any, total, items int) string {
	full, err := fullURL(u, q)
	if err != nil || items == 0 {
		return ""
	}
	pu, err := url.Parse(full)
	if err != nil {
		return ""
	}
	v := pu.Query()
	page, per := 1, defaultPerPage
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 0 {
		page = n
	}
	if n, err := strconv.Atoi(v.Get("items_per_page")); err == nil && n > 0 {
		per = n
	}
	if (page-1)*per+items >= total {
		return ""
	}
	v.Set("page", strconv.Itoa(page+1))
	pu.RawQuery = v.Encode()
	return pu.String()
}
