package rivery_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// An error answer longer than the SDK keeps (64 KiB) whose tail never
// comes returns at once: the SDK keeps the start, and its drain of the
// rest for connection reuse is bounded in time. Exactly 64 KiB sent is
// such an answer too: the SDK cannot know the rest is not coming.
func TestStalledTailAfterLongErrorBody(t *testing.T) {
	t.Parallel()
	for _, sent := range []int{64 << 10, 70 << 10} {
		t.Run(fmt.Sprint(sent), func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int) bool {
				_, _ = fmt.Fprintf(conn, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", 1<<20)
				_, _ = io.WriteString(conn, strings.Repeat("x", sent))
				return hold(conn)
			})
			c := srv.client(t)
			var err error
			within(t, func() { _, _, err = c.Rivers.GetRun(context.Background(), riverID, runID) })
			if apiErr := asAPIError(t, err); apiErr.StatusCode != http.StatusNotFound {
				t.Errorf("error %v; want the 404", err)
			}
		})
	}
}
