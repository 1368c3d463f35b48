package rivery

import (
	"context"
	"iter"
	"net/http"
)

// The shapes of the list and get calls of the services, each built on
// listPage and allPages: one page or every page of a list whose options
// check themselves, at a fixed URL, in the client's scope or under a
// river, and one object.

// validator is an options struct that can check itself.
type validator interface{ validate() error }

// pageFetcher is the pageFunc of a plain v1 list of T.
func pageFetcher[T any](c *Client) pageFunc[T] {
	return func(ctx context.Context, u string, q any) ([]T, *Response, error) {
		return listPage[T](ctx, c, u, q)
	}
}

// lazyPages walks a v1 list with allPages from the first URL and query
// that start returns when the walk begins (start checks the arguments and
// resolves the scope then, not when the iterator is made); start's error
// is then the walk's only value.
func lazyPages[T any](ctx context.Context, c *Client, start func() (string, any, error), fetch pageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		u, q, err := start()
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		allPages(ctx, c, u, q, fetch)(yield)
	}
}

// optionPages iterates over a v1 list: it copies *opts (nil means zero
// options) and, when the walk begins, checks them and asks first for the
// first page's URL, then walks every page with fetch, opts as the first
// page's query. It yields the first error.
func optionPages[T, O any, PO interface {
	*O
	validator
}](ctx context.Context, c *Client, opts PO, first func() (string, error), fetch pageFunc[T],
) iter.Seq2[T, error] {
	var o O
	if opts != nil {
		o = *opts
	}
	return lazyPages(ctx, c, func() (string, any, error) {
		if err := PO(&o).validate(); err != nil {
			return "", nil, err
		}
		u, err := first()
		return u, PO(&o), err
	}, fetch)
}

// fixedPages is optionPages for a list at a URL that names no account or
// environment (the catalogs).
func fixedPages[T, O any, PO interface {
	*O
	validator
}](ctx context.Context, c *Client, opts PO, u string, fetch pageFunc[T],
) iter.Seq2[T, error] {
	return optionPages(ctx, c, opts, func() (string, error) { return u, nil }, fetch)
}

// scopedPages is optionPages for a list whose first URL needs the account
// and environment: first(scope), the scope resolved once opts are checked.
func scopedPages[T, O any, PO interface {
	*O
	validator
}](ctx context.Context, c *Client, opts PO, first func(scope) string, fetch pageFunc[T],
) iter.Seq2[T, error] {
	return optionPages(ctx, c, opts, func() (string, error) {
		sc, err := c.v1Scope(ctx)
		if err != nil {
			return "", err
		}
		return first(sc), nil
	}, fetch)
}

// scopedPage is one page of a v1 list whose URL needs the account or the
// environment: it checks opts (a nil pointer means none), resolves the
// scope, and fetches the page at first(scope) with opts as the query.
func scopedPage[T any](ctx context.Context, c *Client, opts validator, first func(scope) string, fetch pageFunc[T]) ([]T, *Response, error) {
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	sc, err := c.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return fetch(ctx, first(sc), opts)
}

// riverPage GETs one page of a list under a river,
// E/rivers/{riverID}/{segment}.
func riverPage[T any](ctx context.Context, c *Client, riverID, segment string, opts *ListOptions) ([]T, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	return scopedPage(ctx, c, opts, func(sc scope) string { return c.riverURL(sc, riverID, segment) }, pageFetcher[T](c))
}

// riverPages iterates over every item of a list under a river,
// E/rivers/{riverID}/{segment}, page after page.
func riverPages[T any](ctx context.Context, c *Client, riverID, segment string, opts *ListOptions) iter.Seq2[T, error] {
	if err := validateID("river ID", riverID); err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	return scopedPages(ctx, c, opts, func(sc scope) string { return c.riverURL(sc, riverID, segment) }, pageFetcher[T](c))
}

// getOne GETs u and decodes a T.
func getOne[T any](ctx context.Context, c *Client, u string) (*T, *Response, error) {
	var v T
	resp, err := c.do(ctx, call{method: http.MethodGet, url: u, out: &v, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	return &v, resp, nil
}
