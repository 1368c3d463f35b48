package rivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"
)

// sendOutside sends req, a request outside the Rivery API (to a presigned
// URL, the Boomi token exchange), with the client's transport, retries
// and hooks, st following its attempts (ctx, req's context, carries st).
// It takes no part in the client's request budget or rate limit, which
// are Rivery's. A 2xx answer's body and length go to read (nil: the body
// is left unread); of any other answer the first maxErrorBody bytes of
// the body come back as errBody. The body is drained and closed as the
// pipeline's are, bounded in bytes and time, before sendOutside returns.
// err is why no answer came (see transportCause).
func (c *Client) sendOutside(ctx context.Context, st *callState, req *retryablehttp.Request, read func(body io.Reader, length int64) error) (resp *http.Response, errBody []byte, err error) {
	st.outside = true
	req.SetResponseHandler(func(resp *http.Response) error {
		st.handled, errBody = true, nil
		switch {
		case !success(resp.StatusCode):
			errBody = readErrorBytes(resp.Body)
		case read != nil:
			return read(resp.Body, resp.ContentLength)
		}
		return nil
	})
	resp, err = c.retrier(st).Do(req) //nolint:bodyclose // closed below by st.drainClose
	if resp != nil {
		if err == nil && !st.handled { // retries ran out on a retryable status
			errBody = readErrorBytes(resp.Body)
		}
		st.drainClose(resp.Body)
	}
	if err != nil {
		return resp, nil, transportCause(ctx, err)
	}
	return resp, errBody, nil
}

// success reports whether status is a 2xx.
func success(status int) bool { return status >= 200 && status <= 299 }

// readErrorBytes reads what the SDK keeps of an error answer's body.
func readErrorBytes(body io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(body, maxErrorBody))
	return b
}

// transportCause is why a call got no answer, as its *RequestError holds
// it: ctx's error once ctx has ended, else err without the *url.Error
// net/http wraps it in (the RequestError names the URL itself, without a
// query where that is a credential).
func transportCause(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

// readBounded reads all of r up to limit bytes; more is an error.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading response: %w", err)
	case int64(len(b)) > limit:
		return nil, bodyTooLarge(limit)
	}
	return b, nil
}
