package rivery

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// One decoder reads body after body as one stream: each value lands where
// it should, the byte count is the body's own, and white space left after
// a value does not stop the decoder from being reused.
func TestJSONDecoderReadsBodyAfterBody(t *testing.T) {
	t.Parallel()
	d := jsonDecoders.New().(*jsonDecoder)
	for i, tc := range []struct {
		body     string
		reader   func(io.Reader) io.Reader
		wantN    int64
		reusable bool
	}{
		{`{"a":1}`, nil, 7, true},
		{`{"a":2}` + "\n", nil, 7, true},
		{" \t{\"a\":3}\r\n ", nil, 9, true},
		{`{"a":4}`, iotest.OneByteReader, 7, true},
		{`  {"a":5}  `, iotest.HalfReader, 9, true},
		{`{"a":6}xyz`, nil, 7, false}, // something else follows: not reused
	} {
		var r io.Reader = strings.NewReader(tc.body)
		if tc.reader != nil {
			r = tc.reader(r)
		}
		var v struct{ A int }
		n, reusable, err := d.decode(r, &v)
		if err != nil || v.A != i+1 || n != tc.wantN || reusable != tc.reusable {
			t.Fatalf("body %d %q: a=%d n=%d reusable=%t err=%v; want a=%d n=%d reusable=%t",
				i, tc.body, v.A, n, reusable, err, i+1, tc.wantN, tc.reusable)
		}
		if d.body != nil || d.last != nil {
			t.Fatalf("body %d: the decoder still holds the body", i)
		}
	}
}

// A decoder that failed, or read a long body, is not reused; one fresh from
// the pool decodes as json.Decoder does.
func TestJSONDecoderNotReused(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"cut off":    `{"a":`,
		"not json":   `{"a":x}`,
		"wrong type": `{"a":"one"}`,
		"empty":      ``,
		"long":       `{"a":"` + strings.Repeat("x", maxPooledBody) + `"}`,
	} {
		d := jsonDecoders.New().(*jsonDecoder)
		var v struct{ A int }
		_, reusable, err := d.decode(strings.NewReader(body), &v)
		if reusable {
			t.Errorf("%s: decoder reusable after %v", name, err)
		}
		if name != "long" && err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A body of exactly maxPooledBody bytes still leaves it reusable.
	d := jsonDecoders.New().(*jsonDecoder)
	var s struct{ A string }
	body := `{"a":"` + strings.Repeat("x", maxPooledBody-8) + `"}`
	if n, reusable, err := d.decode(strings.NewReader(body), &s); err != nil || !reusable || n != maxPooledBody {
		t.Errorf("%d-byte body: n=%d reusable=%t err=%v", maxPooledBody, n, reusable, err)
	}
	var v struct{ A int }
	n, err := decodeJSON(strings.NewReader(`{"a":7} `), &v)
	if err != nil || v.A != 7 || n != 7 {
		t.Fatalf("decodeJSON = %d, %v (a=%d); want 7, nil (a=7)", n, err, v.A)
	}
}
