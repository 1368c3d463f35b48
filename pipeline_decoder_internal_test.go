package rivery

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// One decoder reads body after body as one stream: each value lands where
// it should and the byte count is the body's own. A body with anything
// read past its value (white space included) leaves the decoder out of the
// pool; the next body then gets a fresh one.
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
		{` {"a":2}`, iotest.OneByteReader, 8, true},
		{"\t[{\"a\":3}]", iotest.HalfReader, 10, true},
		{`{"a":4}`, iotest.DataErrReader, 7, true}, // the last bytes come with io.EOF
		{`{"a":5}` + "\n", nil, 7, false},
	} {
		var r io.Reader = strings.NewReader(tc.body)
		if tc.reader != nil {
			r = tc.reader(r)
		}
		var v struct{ A int }
		var err error
		var n int64
		var reusable bool
		if strings.Contains(tc.body, "[") {
			var list []struct{ A int }
			n, reusable, err = d.decode(r, &list)
			if len(list) == 1 {
				v = list[0]
			}
		} else {
			n, reusable, err = d.decode(r, &v)
		}
		if err != nil || v.A != i+1 || n != tc.wantN || reusable != tc.reusable {
			t.Fatalf("body %d %q: a=%d n=%d reusable=%t err=%v; want a=%d n=%d reusable=%t",
				i, tc.body, v.A, n, reusable, err, i+1, tc.wantN, tc.reusable)
		}
		if d.body != nil {
			t.Fatalf("body %d: the decoder still holds the body", i)
		}
	}
}

// A decoder that failed, read a long body or read past its value is not
// reused; one that read exactly maxPooledBody bytes is.
func TestJSONDecoderNotReused(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"cut off":       `{"a":`,
		"not json":      `{"a":x}`,
		"wrong type":    `{"a":"one"}`,
		"empty":         ``,
		"space after":   `{"a":1} `,
		"more after":    `{"a":1}{"a":2}`,
		"number at end": `12 `,
	} {
		d := jsonDecoders.New().(*jsonDecoder)
		var v any
		if name == "wrong type" {
			v = &struct{ A int }{}
		} else {
			v = new(any)
		}
		if _, reusable, err := d.decode(strings.NewReader(body), v); reusable {
			t.Errorf("%s: decoder reusable after %v", name, err)
		}
	}
	for size, want := range map[int]bool{maxPooledBody: true, maxPooledBody + 1: false} {
		d := jsonDecoders.New().(*jsonDecoder)
		var warm struct{ A int } // the bound is on this body's bytes, not the decoder's life
		if _, ok, err := d.decode(strings.NewReader(`{"a":1}`), &warm); err != nil || !ok {
			t.Fatalf("warm-up: %v, reusable %t", err, ok)
		}
		var s string
		body := `"` + strings.Repeat("x", size-2) + `"`
		if n, reusable, err := d.decode(strings.NewReader(body), &s); err != nil || reusable != want || n != int64(size) {
			t.Errorf("%d-byte body: n=%d reusable=%t err=%v; want reusable=%t", size, n, reusable, err, want)
		}
	}
	var v struct{ A int }
	n, err := decodeJSON(strings.NewReader(`{"a":7} `), &v)
	if err != nil || v.A != 7 || n != 7 {
		t.Fatalf("decodeJSON = %d, %v (a=%d); want 7, nil (a=7)", n, err, v.A)
	}
}

// After other bodies, a decoding error reports the offsets a fresh
// json.Decoder would give for the same body.
func TestJSONDecoderErrorOffsetsAreTheBodys(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`{"a":x}`, `  [1, 2,, 3]`, `{"a":"one"}`, `{"b":{"c":[1,"2"]}}`} {
		d := jsonDecoders.New().(*jsonDecoder)
		for i := range 3 {
			var v struct{ A int }
			if _, reusable, err := d.decode(strings.NewReader(fmt.Sprintf(`{"a":%d}`, i)), &v); err != nil || !reusable {
				t.Fatalf("warm-up body %d: %v, reusable %t", i, err, reusable)
			}
		}
		var pooled, fresh struct {
			A int
			B struct{ C []int }
		}
		_, _, perr := d.decode(strings.NewReader(bad), &pooled)
		ferr := json.NewDecoder(strings.NewReader(bad)).Decode(&fresh)
		if perr == nil || ferr == nil {
			t.Fatalf("%s: errors %v and %v", bad, perr, ferr)
		}
		if got, want := offsetOf(perr), offsetOf(ferr); got != want || got == 0 {
			t.Errorf("%s: offset %d after other bodies, %d fresh (%v)", bad, got, want, ferr)
		}
	}
}

func offsetOf(err error) int64 {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return syn.Offset
	case errors.As(err, &typ):
		return typ.Offset
	}
	return -1
}

// What a failed decode was depends on where the decoder stopped, not on
// how much of the body it had read ahead.
func TestDecodeFailureKinds(t *testing.T) {
	t.Parallel()
	const limit = 100
	cut := errors.New("connection reset")
	typeErr := &json.UnmarshalTypeError{Value: "string", Offset: 8}
	for _, tc := range []struct {
		name      string
		err       error
		n         int64
		broke     error // what the body's reader failed with
		limitLeft int64 // what the limited reader had left
		want      string
	}{
		{"value read whole, wrong type", typeErr, 40, nil, 0, "undecodable"},
		{"value read whole, body broke after", typeErr, 40, cut, 0, "undecodable"},
		{"value ends on the extra byte", typeErr, limit + 1, nil, 0, "too large"},
		{"syntax error within the limit", &json.SyntaxError{Offset: limit}, 0, cut, 0, "undecodable"},
		{"syntax error on the extra byte", &json.SyntaxError{Offset: limit + 1}, 0, nil, 0, "too large"},
		{"body broke", io.ErrUnexpectedEOF, 0, cut, 50, "transport"},
		{"limit ran out", io.ErrUnexpectedEOF, 0, nil, 0, "too large"},
		{"body ended too soon", io.ErrUnexpectedEOF, 0, nil, 50, "undecodable"},
	} {
		st := &callState{}
		st.src.err, st.lr.N = tc.broke, tc.limitLeft
		err := st.decodeFailure(tc.err, tc.n, limit)
		var got string
		var und *undecodableError
		switch {
		case errors.As(err, &und):
			got = "undecodable"
		case tc.broke != nil && errors.Is(err, cut):
			got = "transport"
		case err != nil && strings.Contains(err.Error(), "exceeds 100 bytes"):
			got = "too large"
		}
		if got != tc.want {
			t.Errorf("%s: %v (%s), want %s", tc.name, err, got, tc.want)
		}
	}
}

// A body read to the end its Content-Length gives is known to be at its
// end (its close needs no timer); one of unknown length, or not read to
// the end (more follows the value), is not.
func TestDecodeBodyKnowsItsEnd(t *testing.T) {
	t.Parallel()
	const body = `{"a":1}`
	for _, tc := range []struct {
		name   string
		length int64
		sent   string
		want   bool
	}{
		{"length given, all read", int64(len(body)), body, true},
		{"length unknown", -1, body, false},
		{"more sent than the value", int64(len(body)) + 5, body + "     ", false},
	} {
		st := &callState{}
		// One byte a read: the decoder stops at the value's end.
		resp := &http.Response{ContentLength: tc.length, Body: io.NopCloser(iotest.OneByteReader(strings.NewReader(tc.sent)))}
		var v struct{ A int }
		if err := st.decodeBody(resp, &v, 100); err != nil || v.A != 1 || st.atEOF != tc.want {
			t.Errorf("%s: %v, a=%d, at end %t; want at end %t", tc.name, err, v.A, st.atEOF, tc.want)
		}
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A decoder that grew a large buffer on an earlier body reads no further
// past the next value than a new decoder would: the rest is the drain's.
func TestJSONDecoderKeptReadsNoFurther(t *testing.T) {
	t.Parallel()
	d := jsonDecoders.New().(*jsonDecoder)
	var big string
	if _, ok, err := d.decode(strings.NewReader(`"`+strings.Repeat("x", 200<<10)+`"`), &big); err != nil || !ok {
		t.Fatalf("warm-up: %v, reusable %t", err, ok)
	}
	const value = `{"a":1}`
	body := &countingReader{r: strings.NewReader(value + strings.Repeat("a", 100<<10))}
	var v struct{ A int }
	if n, _, err := d.decode(body, &v); err != nil || v.A != 1 || n != int64(len(value)) {
		t.Fatalf("decode = %d, %v (a=%d)", n, err, v.A)
	}
	fresh := &countingReader{r: strings.NewReader(value + strings.Repeat("a", 100<<10))}
	if err := json.NewDecoder(fresh).Decode(&v); err != nil {
		t.Fatal(err)
	}
	if body.n > fresh.n {
		t.Errorf("read %d bytes of the body; a new decoder reads %d", body.n, fresh.n)
	}
}
