package rivery

// The floor of issue #17: a hand-written net/http client per call that
// sends the request the SDK sends (method, URL, Authorization, Accept,
// Content-Type, User-Agent, the same body bytes) and decodes exactly the
// fields the SDK returns, into one struct per call with encoding/json and
// time.Time fields (console times arrive as epoch millis: decoded as int64
// and converted). It sets no client timeout; floor60s is the same with
// http.Client{Timeout: 60 * time.Second}, the SDK's default guarantee.
//
// The SDK is built as users build it: NewClient with WithBaseURL (and the
// v1 IDs), without WithHTTPClient, so it runs on its own default transport
// with its default per-attempt timeout. The floor's transport has the same
// settings. Both talk to one loopback server in this process
// (bench_floor_server_test.go). scripts/bench.sh runs these benchmarks 10
// times and prints the ratios against the goals.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// floor is the hand-written client: base URLs and header values held once,
// as a hand-written client would hold them.
type floor struct {
	hc       *http.Client
	base     string // the server, for both families
	auth, ua string
}

// newFloor returns a floor with the SDK's default transport settings and
// the given client timeout (0: none).
func newFloor(base string, timeout time.Duration) *floor {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = maxConnsPerHost
	t.MaxIdleConnsPerHost = maxConnsPerHost
	return &floor{
		hc:   &http.Client{Transport: t, Timeout: timeout},
		base: base,
		auth: "Bearer " + benchToken,
		ua:   "rivery-go/" + Version,
	}
}

// do sends one request and decodes a 2xx JSON answer into out.
func (f *floor) do(ctx context.Context, method, u string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", f.auth)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", f.ua)
	resp, err := f.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("%s %s: status %d", method, u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // to the end, so the connection is reused
	return nil
}

// floorConsoleRun is what Run and GetRun return from the console API (see
// runFromConsole): run_update_date is not returned, so not decoded.
type floorConsoleRun struct {
	RunID            string `json:"run_id"`
	RiverID          string `json:"river_id"`
	Status           string `json:"river_run_status"`
	Message          string `json:"river_run_message"`
	ErrorDescription string `json:"error_description"`
	TopMessage       string `json:"message"`
	InsertDate       int64  `json:"run_insert_date"`
	EndDate          int64  `json:"run_end_date"`

	StartedAt, EndedAt time.Time `json:"-"`
}

func millisTime(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func (f *floor) consoleRun(ctx context.Context, method, u string, body io.Reader) (*floorConsoleRun, error) {
	var run floorConsoleRun
	if err := f.do(ctx, method, u, body, &run); err != nil {
		return nil, err
	}
	run.StartedAt, run.EndedAt = millisTime(run.InsertDate), millisTime(run.EndDate)
	return &run, nil
}

// runConsole is Rivers.Run on the console API: POST /api/run.
func (f *floor) runConsole(ctx context.Context, riverID string) (*floorConsoleRun, error) {
	return f.consoleRun(ctx, http.MethodPost, f.base+pathConsoleRun, strings.NewReader(`{"river_id":"`+riverID+`"}`))
}

// getRunConsole is Rivers.GetRun on the console API: GET /api/check_run.
func (f *floor) getRunConsole(ctx context.Context, runID string) (*floorConsoleRun, error) {
	return f.consoleRun(ctx, http.MethodGet, f.base+pathCheckRun+"?run_id="+url.QueryEscape(runID), nil)
}

// floorRunGroup is what Run returns from the v1 API (see runFromGroup).
type floorRunGroup struct {
	RunGroupID   string `json:"run_group_id"`
	RiverCrossID string `json:"river_cross_id"`
	Runs         []struct {
		RunID      string `json:"run_id"`
		SubRiverID string `json:"sub_river_id"`
		Status     string `json:"status"`
		Message    string `json:"message"`
	} `json:"runs"`
}

// runV1 is Rivers.Run on the v1 API: POST E/rivers/{id}/run with {}.
func (f *floor) runV1(ctx context.Context, riverID string) (*floorRunGroup, error) {
	var g floorRunGroup
	u := f.base + floorEnvPath + "/rivers/" + url.PathEscape(riverID) + "/run"
	if err := f.do(ctx, http.MethodPost, u, strings.NewReader("{}"), &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// floorRun is what GetRun returns from the v1 API (see runFromV1).
type floorRun struct {
	RunID            string    `json:"run_id"`
	RiverCrossID     string    `json:"river_cross_id"`
	RunGroupID       string    `json:"run_group_id"`
	Status           string    `json:"status"`
	ErrorDescription string    `json:"error_description"`
	StartDateUTC     time.Time `json:"start_date_utc"`
	EndDateUTC       time.Time `json:"end_date_utc"`
}

// getRunV1 is Rivers.GetRun on the v1 API: GET E/rivers/{id}/runs/{run}.
func (f *floor) getRunV1(ctx context.Context, riverID, runID string) (*floorRun, error) {
	var run floorRun
	u := f.base + floorEnvPath + "/rivers/" + url.PathEscape(riverID) + "/runs/" + url.PathEscape(runID)
	if err := f.do(ctx, http.MethodGet, u, nil, &run); err != nil {
		return nil, err
	}
	return &run, nil
}

// floorName is {"name"}, and {"_id", "name"} for a group.
type floorName struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

// floorConsoleRiver is what List returns from the console API (see
// riverFromConsole), for the live nested shape.
type floorConsoleRiver struct {
	ObjectID    string `json:"_id"`
	CrossID     string `json:"cross_id"`
	Definitions struct {
		Name          string    `json:"river_name"`
		Status        string    `json:"river_status"`
		TypeID        string    `json:"river_type_id"`
		TypeTitle     string    `json:"river_type_title"`
		Description   string    `json:"river_desc"`
		Group         floorName `json:"group_id"`
		IsScheduled   bool      `json:"is_scheduled"`
		ScheduledTime string    `json:"scheduled_time"`
		Created       time.Time `json:"river_time_created"`
		Modified      time.Time `json:"river_modified_date"`
		UpdatedBy     string    `json:"updated_by_name"`
		Source        floorName `json:"source"`
		Target        floorName `json:"target"`
	} `json:"river_definitions"`
}

// listConsole is Rivers.List on the console API: GET /api/rivers.
func (f *floor) listConsole(ctx context.Context) ([]floorConsoleRiver, error) {
	var rivers []floorConsoleRiver
	if err := f.do(ctx, http.MethodGet, f.base+pathConsoleRivs, nil, &rivers); err != nil {
		return nil, err
	}
	return rivers, nil
}

// floorPage is a v1 envelope with what the SDK returns of it (the items,
// and Response's Page, TotalItems, NextPage, PreviousPage).
type floorPage[T any] struct {
	Items        []T    `json:"items"`
	Page         int    `json:"page"`
	TotalItems   int    `json:"total_items"`
	NextPage     string `json:"next_page"`
	PreviousPage string `json:"previous_page"`
}

// floorRiver is what List returns from the v1 API's list items.
type floorRiver struct {
	RiverCrossID string `json:"river_cross_id"`
	Name         string `json:"name"`
	RiverType    string `json:"river_type"`
	GroupID      string `json:"group_id"`
	GroupName    string `json:"group_name"`
	Description  string `json:"description"`
	RiverStatus  string `json:"river_status"`
}

// listV1 is Rivers.List on the v1 API: GET E/rivers?items_per_page=n.
func (f *floor) listV1(ctx context.Context, perPage int) (*floorPage[floorRiver], error) {
	return getFloorPage[floorRiver](ctx, f, f.base+floorRiversPath+"?items_per_page="+strconv.Itoa(perPage))
}

// getFloorPage GETs one v1 envelope.
func getFloorPage[T any](ctx context.Context, f *floor, u string) (*floorPage[T], error) {
	var page floorPage[T]
	if err := f.do(ctx, http.MethodGet, u, nil, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// floorToken is what Tokens.List returns of a token (Token's fields; Value
// is not in lists). LastUsedAt is a pointer as in Token: nil if never used.
type floorToken struct {
	ID         string     `json:"token_id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	CreatedBy  string     `json:"created_by"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// tokensList is Tokens.List on the v1 API: GET A/tokens.
func (f *floor) tokensList(ctx context.Context) (*floorPage[floorToken], error) {
	return getFloorPage[floorToken](ctx, f, f.base+floorTokensPath)
}

// floorCase is one call of one family, by the SDK and by the floor; each
// checks what it got.
type floorCase struct {
	call, family string
	sdk          func(context.Context, *Client) error
	floor        func(context.Context, *floor) error
}

// floorCases lists the calls, each SDK call beside its floor.
func floorCases() []floorCase {
	listOpts := &ListRiversOptions{ListOptions: ListOptions{PerPage: floorRivers}}
	sdkRun := func(ctx context.Context, c *Client) error {
		if run, _, err := c.Rivers.Run(ctx, benchRiver); err != nil || run.ID != benchRun {
			return fmt.Errorf("run: %w", err)
		}
		return nil
	}
	sdkGetRun := func(ctx context.Context, c *Client) error {
		if run, _, err := c.Rivers.GetRun(ctx, benchRiver, benchRun); err != nil || run.ID != benchRun {
			return fmt.Errorf("get run: %w", err)
		}
		return nil
	}
	sdkList := func(ctx context.Context, c *Client) error {
		rivers, _, err := c.Rivers.List(ctx, listOpts)
		if err != nil || len(rivers) != floorRivers {
			return fmt.Errorf("list: %d rivers: %w", len(rivers), err)
		}
		return nil
	}
	return []floorCase{
		{"Run", "console", sdkRun, func(ctx context.Context, f *floor) error {
			if run, err := f.runConsole(ctx, benchRiver); err != nil || run.RunID != benchRun {
				return fmt.Errorf("run: %w", err)
			}
			return nil
		}},
		{"Run", "v1", sdkRun, func(ctx context.Context, f *floor) error {
			if g, err := f.runV1(ctx, benchRiver); err != nil || len(g.Runs) != 1 {
				return fmt.Errorf("run: %w", err)
			}
			return nil
		}},
		{"GetRun", "console", sdkGetRun, func(ctx context.Context, f *floor) error {
			if run, err := f.getRunConsole(ctx, benchRun); err != nil || run.RunID != benchRun {
				return fmt.Errorf("get run: %w", err)
			}
			return nil
		}},
		{"GetRun", "v1", sdkGetRun, func(ctx context.Context, f *floor) error {
			if run, err := f.getRunV1(ctx, benchRiver, benchRun); err != nil || run.RunID != benchRun {
				return fmt.Errorf("get run: %w", err)
			}
			return nil
		}},
		{"List", "console", sdkList, func(ctx context.Context, f *floor) error {
			if rivers, err := f.listConsole(ctx); err != nil || len(rivers) != floorRivers {
				return fmt.Errorf("list: %d rivers: %w", len(rivers), err)
			}
			return nil
		}},
		{"List", "v1", sdkList, func(ctx context.Context, f *floor) error {
			if page, err := f.listV1(ctx, floorRivers); err != nil || len(page.Items) != floorRivers {
				return fmt.Errorf("list: %w", err)
			}
			return nil
		}},
		{"TokensList", "v1", func(ctx context.Context, c *Client) error {
			if tokens, _, err := c.Tokens.List(ctx, nil); err != nil || len(tokens) != floorTokens {
				return fmt.Errorf("tokens: %d: %w", len(tokens), err)
			}
			return nil
		}, func(ctx context.Context, f *floor) error {
			if page, err := f.tokensList(ctx); err != nil || len(page.Items) != floorTokens {
				return fmt.Errorf("tokens: %w", err)
			}
			return nil
		}},
	}
}

// newFloorSDK builds the SDK as users do: no WithHTTPClient, so its own
// default transport and per-attempt timeout.
func newFloorSDK(tb testing.TB, base, family string) *Client {
	tb.Helper()
	opts := []Option{WithBaseURL(base)}
	if family == "v1" {
		opts = append(opts, WithAccountID(floorAccount), WithEnvironmentID(floorEnv))
	}
	c, err := NewClient(benchToken, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// newFloorClient returns a floor whose idle connections close when tb ends.
func newFloorClient(tb testing.TB, base string, timeout time.Duration) *floor {
	f := newFloor(base, timeout)
	tb.Cleanup(f.hc.CloseIdleConnections)
	return f
}

// forEachFloorCase runs fn as call=<call>/family=<family> sub-benchmarks.
func forEachFloorCase(b *testing.B, fn func(b *testing.B, fc floorCase)) {
	cases := floorCases()
	for _, call := range []string{"Run", "GetRun", "List", "TokensList"} {
		b.Run("call="+call, func(b *testing.B) {
			for _, fc := range cases {
				if fc.call == call {
					b.Run("family="+fc.family, func(b *testing.B) { fn(b, fc) })
				}
			}
		})
	}
}

// BenchmarkFloorAllocs measures each call's allocations (and time) by the
// SDK, the floor and the floor with a 60 s client timeout, sequentially.
// Allocations are deterministic: no pairing needed.
func BenchmarkFloorAllocs(b *testing.B) {
	srv := newFloorServer(b)
	ctx := context.Background()
	loop := func(b *testing.B, call func() error) {
		if err := call(); err != nil { // dial outside the measurement
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	}
	forEachFloorCase(b, func(b *testing.B, fc floorCase) {
		b.Run("impl=sdk", func(b *testing.B) {
			c := newFloorSDK(b, srv.URL, fc.family)
			loop(b, func() error { return fc.sdk(ctx, c) })
		})
		for _, fl := range []struct {
			name    string
			timeout time.Duration
		}{{"floor", 0}, {"floor60s", 60 * time.Second}} {
			b.Run("impl="+fl.name, func(b *testing.B) {
				f := newFloorClient(b, srv.URL, fl.timeout)
				loop(b, func() error { return fc.floor(ctx, f) })
			})
		}
	})
}

// BenchmarkFloorPaired alternates the SDK and the floor (no client
// timeout) call by call in one loop, from 1 goroutine and from 16, and
// reports each one's time per call and the throughput ratio (floor time /
// SDK time: 1.0 is parity, above 1 the SDK is faster).
func BenchmarkFloorPaired(b *testing.B) {
	srv := newFloorServer(b)
	ctx := context.Background()
	forEachFloorCase(b, func(b *testing.B, fc floorCase) {
		for _, g := range []int{1, 16} {
			b.Run(fmt.Sprintf("g=%d", g), func(b *testing.B) {
				c := newFloorSDK(b, srv.URL, fc.family)
				f := newFloorClient(b, srv.URL, 0)
				sdk := func() error { return fc.sdk(ctx, c) }
				fl := func() error { return fc.floor(ctx, f) }
				var p paired
				pairs := func(next func() bool) error {
					sdkFirst := false
					for next() {
						sdkFirst = !sdkFirst
						s, r, err := p.pair(sdkFirst, sdk, fl)
						if err != nil {
							return err
						}
						p.add(s, r)
					}
					return nil
				}
				if g == 1 {
					if err := pairs(b.Loop); err != nil {
						b.Fatal(err)
					}
				} else {
					procs := runtime.GOMAXPROCS(0)
					b.SetParallelism((g + procs - 1) / procs)
					b.RunParallel(func(pb *testing.PB) {
						if err := pairs(pb.Next); err != nil {
							b.Error(err)
						}
					})
				}
				if p.n > 0 {
					b.ReportMetric(float64(p.sdk.Nanoseconds())/float64(p.n), "sdk-ns/call")
					b.ReportMetric(float64(p.raw.Nanoseconds())/float64(p.n), "floor-ns/call")
					b.ReportMetric(float64(p.raw)/float64(p.sdk), "throughput-ratio")
				}
			})
		}
	})
}

// TestFloorDecodesWhatTheSDKReturns checks that each floor call reads the
// values the SDK returns for it from the same answer, so the benchmarks
// compare like with like.
func TestFloorDecodesWhatTheSDKReturns(t *testing.T) {
	t.Parallel()
	srv := newFloorServer(t)
	ctx := context.Background()
	f := newFloorClient(t, srv.URL, 0)
	console, v1 := newFloorSDK(t, srv.URL, "console"), newFloorSDK(t, srv.URL, "v1")
	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: floor %v, SDK %v", what, got, want)
		}
	}

	for _, tc := range []struct {
		name string
		sdk  func() (*Run, *Response, error)
		fl   func() (*floorConsoleRun, error)
	}{
		{"console Run", func() (*Run, *Response, error) { return console.Rivers.Run(ctx, benchRiver) },
			func() (*floorConsoleRun, error) { return f.runConsole(ctx, benchRiver) }},
		{"console GetRun", func() (*Run, *Response, error) { return console.Rivers.GetRun(ctx, benchRiver, benchRun) },
			func() (*floorConsoleRun, error) { return f.getRunConsole(ctx, benchRun) }},
	} {
		run, _, err := tc.sdk()
		fr, ferr := tc.fl()
		if err != nil || ferr != nil {
			t.Fatal(tc.name, err, ferr)
		}
		check(tc.name, []any{fr.RunID, fr.RiverID, fr.Status, firstNonEmpty(fr.ErrorDescription, fr.Message, fr.TopMessage), fr.StartedAt, fr.EndedAt},
			[]any{run.ID, run.RiverID, run.RawStatus, run.Message, run.StartedAt, run.EndedAt})
	}

	run, _, err := v1.Rivers.Run(ctx, benchRiver)
	g, ferr := f.runV1(ctx, benchRiver)
	if err != nil || ferr != nil || len(g.Runs) != 1 {
		t.Fatal("v1 Run", err, ferr)
	}
	check("v1 Run", []any{g.Runs[0].RunID, g.RunGroupID, g.RiverCrossID, g.Runs[0].SubRiverID, g.Runs[0].Status, g.Runs[0].Message},
		[]any{run.ID, run.GroupID, run.RiverID, run.SubRiverID, run.RawStatus, run.Message})

	run, _, err = v1.Rivers.GetRun(ctx, benchRiver, benchRun)
	fr, ferr := f.getRunV1(ctx, benchRiver, benchRun)
	if err != nil || ferr != nil {
		t.Fatal("v1 GetRun", err, ferr)
	}
	check("v1 GetRun", []any{fr.RunID, fr.RunGroupID, fr.RiverCrossID, fr.Status, fr.ErrorDescription, fr.StartDateUTC.UTC(), fr.EndDateUTC.UTC()},
		[]any{run.ID, run.GroupID, run.RiverID, run.RawStatus, run.Message, run.StartedAt, run.EndedAt})

	rivers, _, err := console.Rivers.List(ctx, nil)
	crs, ferr := f.listConsole(ctx)
	if err != nil || ferr != nil || len(rivers) != len(crs) {
		t.Fatal("console List", err, ferr)
	}
	for i, r := range rivers {
		d := crs[i].Definitions
		check("console List", []any{crs[i].CrossID, d.Name, d.TypeID, d.TypeTitle, d.Group.ID, d.Group.Name, d.Description, d.Status,
			d.ScheduledTime, d.IsScheduled, d.Source.Name, d.Target.Name, d.Created.UTC(), d.Modified.UTC(), d.UpdatedBy},
			[]any{r.ID, r.Name, r.Type, r.TypeTitle, r.GroupID, r.GroupName, r.Description, r.Status,
				r.Schedule, r.Scheduled, r.SourceName, r.TargetName, r.CreatedAt, r.ModifiedAt, r.ModifiedBy})
	}

	rivers, resp, err := v1.Rivers.List(ctx, &ListRiversOptions{ListOptions: ListOptions{PerPage: floorRivers}})
	vp, ferr := f.listV1(ctx, floorRivers)
	if err != nil || ferr != nil || len(rivers) != len(vp.Items) {
		t.Fatal("v1 List", err, ferr)
	}
	check("v1 List page", []any{vp.Page, vp.TotalItems, vp.NextPage, vp.PreviousPage},
		[]any{resp.Page, resp.TotalItems, resp.NextPage, resp.PreviousPage})
	for i, r := range rivers {
		w := vp.Items[i]
		check("v1 List", []any{w.RiverCrossID, w.Name, w.RiverType, w.GroupID, w.GroupName, w.Description, w.RiverStatus},
			[]any{r.ID, r.Name, r.Type, r.GroupID, r.GroupName, r.Description, r.Status})
	}

	tokens, resp, err := v1.Tokens.List(ctx, nil)
	tp, ferr := f.tokensList(ctx)
	if err != nil || ferr != nil || len(tokens) != len(tp.Items) {
		t.Fatal("Tokens.List", err, ferr)
	}
	check("Tokens.List page", []any{tp.Page, tp.TotalItems, tp.NextPage}, []any{resp.Page, resp.TotalItems, resp.NextPage})
	for i, tok := range tokens {
		w := tp.Items[i]
		check("Tokens.List", []any{w.ID, w.Name, w.Scopes, w.CreatedAt, w.CreatedBy, w.LastUsedAt == nil},
			[]any{tok.ID, tok.Name, tok.Scopes, tok.CreatedAt, tok.CreatedBy, tok.LastUsedAt == nil})
		if w.LastUsedAt != nil && !w.LastUsedAt.Equal(*tok.LastUsedAt) {
			t.Errorf("Tokens.List: last used %v, SDK %v", w.LastUsedAt, tok.LastUsedAt)
		}
	}
}
