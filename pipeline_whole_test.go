package rivery

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/rivery-go/rivery/internal/wire"
)

// The console's rivers list is decoded from its body read whole: through
// the stream, its UnmarshalJSON made the call read 0.68 of the floor's
// throughput (docs/performance.md).
var _ wholeBodyDecoder = (*wire.ConsoleRiverList)(nil)

// A whole-body answer is read as the stream would be: the list, one
// object, an empty body where one is allowed, and a clear error otherwise.
func TestDecodeWholeBody(t *testing.T) {
	for _, tt := range []struct {
		body  string
		empty bool
		want  int
		fails bool
	}{
		{body: `[{"river_id":"a"},{"river_id":"b"}]`, want: 2},
		{body: ` {"river_id":"a"} `, want: 1},
		{body: `null`, want: 0},
		{body: ``, empty: true, want: 0},
		{body: ``, fails: true},
		{body: `"rivers"`, fails: true},
	} {
		st := &callState{empty: tt.empty}
		resp := &http.Response{Body: http.NoBody, ContentLength: int64(len(tt.body))}
		if tt.body != "" {
			resp.Body = io.NopCloser(strings.NewReader(tt.body))
		}
		var out wire.ConsoleRiverList
		err := st.decodeBody(resp, &out, limitPage)
		if (err != nil) != tt.fails || len(out) != tt.want {
			t.Errorf("%q: %d rivers, %v", tt.body, len(out), err)
		}
		if !st.atEOF {
			t.Errorf("%q: body not read to its end", tt.body)
		}
	}
}

// A whole-body answer cut short is a transport fault (retried), not an
// undecodable answer.
func TestDecodeWholeBodyCutShort(t *testing.T) {
	st := &callState{}
	body := io.MultiReader(strings.NewReader(`[{"river_id":"a"},`), iotest.ErrReader(io.ErrUnexpectedEOF))
	resp := &http.Response{Body: io.NopCloser(body), ContentLength: 100}
	var out wire.ConsoleRiverList
	err := st.decodeBody(resp, &out, limitPage)
	var und *undecodableError
	if err == nil || errors.As(err, &und) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v, want a read error", err)
	}
}
