package rivery

import (
	"encoding/json"
	"io"
	"sync"
)

// A json.Decoder holds the whole value it decodes in a buffer that grows by
// doubling from 512 bytes: on every call, allocations of about twice the
// body. jsonDecoder keeps a decoder, with its grown buffer, from call to
// call, switching its input from one body to the next. The bytes it reads
// form one stream: value, white space, value. A decoder goes back to the
// pool only where the next body's bytes can follow: after a value that
// decoded, with nothing but white space read past it.
type jsonDecoder struct {
	dec  *json.Decoder
	body io.Reader // the body being read; nil between calls
	fed  int64     // bytes handed to dec over its life
	last []byte    // the latest read, inside dec's buffer
}

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
	n, err := d.body.Read(p)
	if n > 0 {
		d.fed += int64(n)
		d.last = p[:n]
	}
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
	start := d.fed
	err = d.dec.Decode(out)
	n = d.dec.InputOffset() - start
	d.body = nil
	reusable = err == nil && d.fed-start <= maxPooledBody && d.onlySpaceLeft()
	d.last = nil
	return n, reusable, err
}

// onlySpaceLeft reports whether all that dec read past the value it
// decoded is white space (then the next Decode skips it).
func (d *jsonDecoder) onlySpaceLeft() bool {
	left := d.fed - d.dec.InputOffset()
	if left == 0 {
		return true
	}
	if left > int64(len(d.last)) {
		return false
	}
	for _, c := range d.last[int64(len(d.last))-left:] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}
