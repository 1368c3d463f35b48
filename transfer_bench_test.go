package rivery_test

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// transferSizes are what the streaming benchmarks move each way, up to
// 1 GiB, generated as it is read, never stored: memory that does not grow
// with the size is memory that does not hold the content.
func transferSizes() []struct {
	name string
	n    int64
} {
	return []struct {
		name string
		n    int64
	}{{"size=64MiB", 64 << 20}, {"size=1GiB", 1 << 30}}
}

// generated is n bytes of a repeated block, readable at any offset
// without holding them: the content of a large upload.
type generated struct {
	n     int64
	block []byte
}

func newGenerated(n int64) *io.SectionReader {
	block := make([]byte, 32<<10)
	for i := range block {
		block[i] = byte(i*7 + i/251)
	}
	return io.NewSectionReader(generated{n, block}, 0, n)
}

func (g generated) ReadAt(p []byte, off int64) (int, error) {
	if off >= g.n {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off+int64(n) < g.n {
		c := copy(p[n:], g.block[(off+int64(n))%int64(len(g.block)):])
		c = int(min(int64(c), g.n-off-int64(n)))
		n += c
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// heapPeak samples the live heap (the bytes of heap objects) while a
// transfer runs, and reports the most seen above where it started.
type heapPeak struct {
	mu        sync.Mutex
	base, top uint64
	stop      chan struct{}
	done      chan struct{}
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{base: heapObjects(), stop: make(chan struct{}), done: make(chan struct{})}
	h.top = h.base
	go func() {
		defer close(h.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				if v := heapObjects(); v > h.top {
					h.mu.Lock()
					h.top = v
					h.mu.Unlock()
				}
			}
		}
	}()
	return h
}

// end stops sampling and returns the peak above the start, in MiB.
func (h *heapPeak) end() float64 {
	close(h.stop)
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	return float64(h.top-h.base) / (1 << 20)
}

// BenchmarkUploadStreams uploads 64 MiB and 1 GiB as a Logicode file to
// the fake's storage (client and fake in this process: their memory
// together). B/op and peak-heap-MiB (the most the live heap grew) are the
// same for both sizes, a few hundred kilobytes: the content is streamed,
// never held. Run it with scripts/bench-transfer.sh.
func BenchmarkUploadStreams(b *testing.B) {
	srv := riverytest.NewServer()
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	for _, size := range transferSizes() {
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(size.n)
			b.ReportAllocs()
			var peak float64
			for b.Loop() {
				h := startHeapPeak()
				f, err := c.Logicode.Upload(ctx, "big.py", newGenerated(size.n), size.n)
				peak = max(peak, h.end())
				if err != nil {
					b.Fatal(err)
				}
				if st, _ := srv.LogicodeFileState(f.ID); st.Size != size.n || st.Content != nil {
					b.Fatalf("stored %d bytes (kept %d)", st.Size, len(st.Content))
				}
			}
			b.ReportMetric(peak, "peak-heap-MiB")
		})
	}
}

// BenchmarkDownloadStreams downloads a dataframe export of 64 MiB and of
// 1 GiB from the fake's storage into io.Discard: B/op and peak-heap-MiB
// as for uploads.
func BenchmarkDownloadStreams(b *testing.B) {
	for _, size := range transferSizes() {
		b.Run(size.name, func(b *testing.B) {
			srv := riverytest.NewServer(riverytest.WithDataframe(riverytest.Dataframe{Name: "big", Files: []riverytest.File{{Size: size.n}}}))
			defer srv.Close()
			c := srv.ClientV1()
			ctx := context.Background()
			files, err := c.Dataframes.Export(ctx, "big", &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
			if err != nil || len(files) != 1 {
				b.Fatal(files, err)
			}
			b.SetBytes(size.n)
			b.ReportAllocs()
			var peak float64
			for b.Loop() {
				h := startHeapPeak()
				n, _, err := c.Dataframes.CopyFile(ctx, files[0], io.Discard)
				peak = max(peak, h.end())
				if err != nil || n != size.n {
					b.Fatal(n, err)
				}
			}
			b.ReportMetric(peak, "peak-heap-MiB")
		})
	}
}
