package rivery

import (
	"encoding/json"
	"errors"
	"io"
	"sync"
)

// A json.Decoder holds the whole value it decodes in a buffer that grows by
// doubling from 512 bytes: on every call, allocations of about twice the
// body. jsonDecoder keeps a decoder, with its grown buffer, from call to
// call, switching its input from one body to the next, so that the bytes it
// reads form one stream of values. A decoder goes back to the pool only
// where the next body's bytes follow as if it were new: after a value that
// decoded, with nothing read past it. (A body that ends in white space, as
// Go's json.Encoder writes it, leaves its decoder out of the pool: skipping
// that space would shift the offsets the next body's decoding errors
// report.)
type jsonDecoder struct {
	dec   *json.Decoder
	body  io.Reader // the body being read; nil between calls
	fed   int64     // bytes handed to dec over its life
	start int64     // fed when the current body began
}

// firstRead is what a new json.Decoder asks for first. A read asks for at
// most that much more than the body has given so far, as a new decoder's
// doubling buffer would: a kept decoder's larger buffer must not read
// further past a value than a new one (what is left is for the drain).
const firstRead = 512

// maxPooledBody: a decoder that read a longer body is not kept, nor the
// buffer it grew for it.
const maxPooledBody = 256 << 10

var jsonDecoders = sync.Pool{New: func() any {
	d := &jsonDecoder{}
	d.dec = json.NewDecoder(d)
	return d
}}

// Read feeds dec from the current body; between calls there is none.
func (d *jsonDecoder) Read(p []byte) (int, error) {
	if d.body == nil {
		return 0, io.EOF
	}
	if most := d.fed - d.start + firstRead; int64(len(p)) > most {
		p = p[:most]
	}
	n, err := d.body.Read(p)
	d.fed += int64(n)
	return n, err
}

// decodeJSON decodes the first JSON value of r into out, as
// json.NewDecoder(r).Decode(out) would, and returns how many bytes of r
// the value took (up to and including its last byte).
func decodeJSON(r io.Reader, out any) (int64, error) {
	d := jsonDecoders.Get().(*jsonDecoder)
	n, reusable, err := d.decode(r, out)
	if reusable {
		jsonDecoders.Put(d)
	}
	return n, err
}

// decode decodes the first value of r into out and reports how many bytes
// of r it took, and whether d can decode the next body.
func (d *jsonDecoder) decode(r io.Reader, out any) (n int64, reusable bool, err error) {
	d.body = r
	start := d.fed // this body's first byte in d's stream; all before it was consumed
	d.start = start
	err = d.dec.Decode(out)
	n = d.dec.InputOffset() - start
	d.body = nil
	if syn := (*json.SyntaxError)(nil); n == 0 && errors.As(err, &syn) {
		// The scanner counts every byte d ever scanned: count from the
		// body's start instead. (A syntax error from a value read whole,
		// n > 0, comes from an UnmarshalJSON and is left as it is.)
		syn.Offset -= start
	}
	reusable = err == nil && d.fed-start <= maxPooledBody && d.fed == d.dec.InputOffset()
	return n, reusable, err
}
