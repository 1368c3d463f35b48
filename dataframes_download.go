package rivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Export prepares a dataframe's download and waits until it is ready:
// GET E/dataframes/{name}/download answers 202 with an operation, which
// is polled (GET E/operations/{id}, with opts' intervals) until it ends.
// It returns the files to fetch, short-lived presigned URLs in the
// server's order (the console names them parquet files); none for an
// empty dataframe. Fetch each with CopyFile soon: they expire. An
// operation that ends E is an *OperationError.
func (s *DataframesService) Export(ctx context.Context, name string, opts *WaitOptions) ([]PresignedURL, error) {
	u, err := s.url(ctx, name, "download")
	if err != nil {
		return nil, err
	}
	if err := opts.check(s.client); err != nil {
		return nil, err
	}
	op, _, err := s.client.followable(ctx, call{method: http.MethodGet, url: u})
	if err != nil {
		return nil, err
	}
	done, err := s.client.Rivers.WaitForOperation(ctx, op, opts)
	if err != nil {
		return nil, err
	}
	return exportFiles(done.Result), nil
}

// exportFiles reads a download operation's result: a list of URLs (or of
// objects naming one under "url" or "presigned_url"), or one URL. Any
// other result, null or empty included, names no file.
func exportFiles(result string) []PresignedURL {
	raw := json.RawMessage(result)
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if inner := strings.TrimSpace(one); strings.HasPrefix(inner, "[") {
			raw = json.RawMessage(inner) // a list inside a string
		} else if inner != "" {
			return []PresignedURL{PresignedURL(inner)}
		}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return nil
	}
	var out []PresignedURL
	for _, item := range list {
		var u string
		if json.Unmarshal(item, &u) != nil {
			var obj struct {
				URL          string `json:"url"`
				PresignedURL string `json:"presigned_url"`
			}
			if json.Unmarshal(item, &obj) != nil {
				continue
			}
			u = firstNonEmpty(obj.URL, obj.PresignedURL)
		}
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, PresignedURL(u))
		}
	}
	return out
}

// CopyFile streams one file of an export to w, as it arrives: a GET to
// the presigned URL without the Rivery token, https only. The SDK holds
// none of the file beyond a copy buffer, however large it is. A failure
// before any byte reached w is retried like any GET; once some has (or
// when w fails), the call stops with a *RequestError and w holds what
// came so far. It returns the bytes written to w.
func (s *DataframesService) CopyFile(ctx context.Context, file PresignedURL, w io.Writer) (int64, *Response, error) {
	return s.client.copyPresigned(ctx, file, "dataframe file URL", w)
}

// Download is Export followed by CopyFile of each file, in order, into w:
// a dataframe's whole content, streamed. A dataframe exported as several
// files writes them one after the other; to keep them apart, call Export
// and CopyFile. It returns the bytes written to w (0 for an empty
// dataframe).
func (s *DataframesService) Download(ctx context.Context, name string, w io.Writer, opts *WaitOptions) (int64, error) {
	if w == nil {
		return 0, fmt.Errorf("%w: nil writer", ErrInvalidArgument)
	}
	files, err := s.Export(ctx, name, opts)
	if err != nil {
		return 0, err
	}
	var total int64
	for i, f := range files {
		n, _, err := s.CopyFile(ctx, f, w)
		total += n
		if err != nil {
			return total, fmt.Errorf("dataframe %s, file %d of %d: %w", name, i+1, len(files), err)
		}
	}
	return total, nil
}

// copyPresigned streams the file at u (what it is, for errors) to w.
func (c *Client) copyPresigned(ctx context.Context, u PresignedURL, what string, w io.Writer) (int64, *Response, error) {
	if w == nil {
		return 0, nil, fmt.Errorf("%w: nil writer", ErrInvalidArgument)
	}
	cw := &countingWriter{w: w}
	r, err := c.presigned(ctx, presignedCall{method: http.MethodGet, url: string(u), what: what, route: routePresigned, read: streamTo(cw)})
	if err != nil && cw.n > 0 {
		var reqErr *RequestError
		if errors.As(err, &reqErr) {
			reqErr.Err = fmt.Errorf("%w (%d bytes were written)", reqErr.Err, cw.n)
		}
	}
	return cw.n, r, err
}
